"""Small torch names libraries touch at import (issue #14): version, cuda graphs and
stream contexts, torch._C helpers, deterministic flags, SyncBatchNorm, BN fusion, hub."""
import urllib.error

import numpy as np
import pytest
import torch as real

import mstorch.torch as T
from mstorch.impl.torch import _deterministic

real.set_num_threads(1)


def test_version_fields_match_a_cpu_build():
    for name in ("cuda", "hip", "rocm", "xpu", "debug"):
        assert getattr(T.version, name) == getattr(real.version, name)


@pytest.mark.parametrize("call", ["CUDAGraph()", "graph_pool_handle()", "graph(None)",
                                  "is_current_stream_capturing()",
                                  "make_graphed_callables(None, ())"])
def test_cuda_graphs_without_cuda_fail_as_pytorch(call):
    def run(mod):
        with pytest.raises(RuntimeError) as info:
            eval("mod.cuda." + call, {"mod": mod})
        return str(info.value)
    assert run(T) == run(real)


def test_stream_context_none_is_a_no_op():
    ctx = T.cuda.StreamContext(None)
    with ctx as entered:
        assert entered is None
    assert ctx.stream is None and ctx.idx == real.cuda.StreamContext(None).idx


def test_C_helpers():
    assert T._C._log_api_usage_once("mstorch.test") is None
    assert T._C._TensorMeta is type(T.Tensor)
    cases = [((), {}), (("cpu",), {}), ((T.float16, True), {}), ((), {"dtype": T.int8, "device": "cpu"})]
    for args, kwargs in cases:
        swap = lambda v: getattr(real, v.name) if isinstance(v, T.dtype) else v  # noqa: E731
        theirs = real._C._nn._parse_to(*map(swap, args), **{k: swap(v) for k, v in kwargs.items()})
        assert repr(T._C._nn._parse_to(*args, **kwargs)) == repr(theirs)
    with pytest.raises(RuntimeError, match="copy"):
        T._C._nn._parse_to(copy=True)


def test_deterministic_flags_round_trip():
    d = _deterministic
    try:
        assert d.are_deterministic_algorithms_enabled() is False
        d.use_deterministic_algorithms(True, warn_only=True)
        assert (d.are_deterministic_algorithms_enabled(), d.is_deterministic_algorithms_warn_only_enabled(),
                d.get_deterministic_debug_mode()) == (True, True, 1)
        d.set_deterministic_debug_mode("error")
        assert d.get_deterministic_debug_mode() == 2 and not d.is_deterministic_algorithms_warn_only_enabled()
        with pytest.raises(TypeError, match="mode"):
            d.use_deterministic_algorithms(1)
        with pytest.raises(RuntimeError, match="debug_mode"):
            d.set_deterministic_debug_mode("x")
    finally:
        d.use_deterministic_algorithms(False)
    assert d.get_deterministic_debug_mode() == 0


def _copy_params(theirs, ours):
    for a, b in zip(theirs.state_dict().values(), ours.state_dict().values()):
        b.copy_(T.from_numpy(a.detach().numpy().copy()))


def test_sync_batchnorm_is_batchnorm_without_process_group():
    real.manual_seed(0)
    x = real.randn(4, 3, 5)
    theirs = real.nn.SyncBatchNorm(3, momentum=None)
    ours = T.nn.SyncBatchNorm(3, momentum=None)
    for _ in range(2):
        y_real = theirs(x)
        y = ours(T.from_numpy(x.numpy().copy()))
    np.testing.assert_allclose(y.detach().numpy(), y_real.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.running_var.numpy(), theirs.running_var.numpy(), rtol=1e-6)
    assert repr(ours) == repr(theirs)
    with pytest.raises(ValueError, match="at least 2D"):
        ours.eval()(T.zeros(3))


def test_convert_sync_batchnorm_shares_parameters():
    net = T.nn.Sequential(T.nn.Conv2d(3, 3, 1), T.nn.BatchNorm2d(3), T.nn.BatchNorm1d(3, affine=False))
    bn = net[1]
    out = T.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    assert [type(m).__name__ for m in out] == ["Conv2d", "SyncBatchNorm", "SyncBatchNorm"]
    assert out[1].weight is bn.weight and out[1].running_mean is bn.running_mean
    assert out[2].weight is None


@pytest.mark.parametrize("kind", ["conv", "conv_transpose", "linear"])
def test_fuse_bn_eval_matches_torch(kind):
    real.manual_seed(1)
    make = {"conv": lambda m: (m.nn.Conv2d(3, 4, 3), m.nn.BatchNorm2d(4), (2, 3, 6, 6)),
            "conv_transpose": lambda m: (m.nn.ConvTranspose2d(3, 4, 3, bias=False), m.nn.BatchNorm2d(4), (2, 3, 5, 5)),
            "linear": lambda m: (m.nn.Linear(5, 4), m.nn.BatchNorm1d(4), (3, 5))}[kind]
    layer_r, bn_r, shape = make(real)
    layer, bn, _ = make(T)
    with real.no_grad():
        bn_r.running_mean.uniform_(-1, 1)
        bn_r.running_var.uniform_(0.5, 2)
        bn_r.weight.uniform_(0.5, 2)
        bn_r.bias.uniform_(-1, 1)
    _copy_params(layer_r, layer)
    _copy_params(bn_r, bn)
    layer_r.eval(), bn_r.eval(), layer.eval(), bn.eval()
    if kind == "linear":
        fused_r, fused = real.nn.utils.fusion.fuse_linear_bn_eval(layer_r, bn_r), \
            T.nn.utils.fusion.fuse_linear_bn_eval(layer, bn)
    else:
        t = kind == "conv_transpose"
        fused_r, fused = real.nn.utils.fusion.fuse_conv_bn_eval(layer_r, bn_r, transpose=t), \
            T.nn.utils.fusion.fuse_conv_bn_eval(layer, bn, transpose=t)
    x = real.randn(*shape)
    np.testing.assert_allclose(fused(T.from_numpy(x.numpy().copy())).detach().numpy(),
                               fused_r(x).detach().numpy(), rtol=1e-4, atol=1e-5)
    assert fused.bias.requires_grad == fused_r.bias.requires_grad
    assert fused is not layer
    layer.train()
    with pytest.raises(AssertionError, match="Fusion only for eval"):
        T.nn.utils.fusion.fuse_conv_bn_eval(layer, bn)


def test_hub_cached_file_and_offline_download(tmp_path, monkeypatch):
    from mstorch.impl.torch import hub
    monkeypatch.setattr(hub, "_hub_dir", None)  # restored afterwards: the hub dir is process-wide
    T.hub.set_dir(tmp_path / "hub")
    assert T.hub.get_dir() == str(tmp_path / "hub")
    ckpt = tmp_path / "hub" / "checkpoints"
    ckpt.mkdir(parents=True)
    T.save({"w": T.arange(3)}, ckpt / "tiny-0123.pth")
    sd = T.hub.load_state_dict_from_url("https://example.invalid/models/tiny-0123.pth")
    assert sd["w"].tolist() == [0, 1, 2]
    with pytest.raises(urllib.error.URLError, match="example.invalid"):
        T.hub.download_url_to_file("https://example.invalid/x.pth", str(tmp_path / "x.pth"))
    assert not (tmp_path / "x.pth").exists()
    assert T.hub.urlparse("https://a/b/c.pth").path == "/b/c.pth"
    with pytest.raises(NotImplementedError, match="torch.hub.load"):
        T.hub.load("pytorch/vision", "resnet18")


def test_saved_tensor_hooks_refuse_by_name():
    with pytest.raises(NotImplementedError, match="save_on_cpu"):
        T.autograd.graph.save_on_cpu()
    with pytest.raises(NotImplementedError, match="saved_tensors_hooks"):
        T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t)
