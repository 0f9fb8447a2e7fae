"""The 'meta' device: tensors with dtype, shape, strides and requires_grad and no data, made by
factories, `with torch.device("meta")` and set_default_device; modules built on it and moved
off it (to_empty, load_state_dict(assign=True)); ops answering shapes, dtypes and strides
without computing; PyTorch's errors for reading data.  Real torch is the oracle."""
import warnings

import pytest
import torch as rt

import mstorch

T = mstorch.torch


def _geom(t):
    return (tuple(t.shape), str(t.dtype).replace("torch.", ""), tuple(t.stride()), t.device.type, t.requires_grad)


def _both(f):
    return _geom(f(T)), _geom(f(rt))


def _outcome(f, lib):
    try:
        r = f(lib)
        return ("ok", _geom(r) if isinstance(r, (T.Tensor, rt.Tensor)) else r)
    except Exception as e:  # noqa: BLE001 - the error type and message are what is compared
        return (type(e).__name__, str(e).split("\n")[0][:60])


FACTORIES = {
    "empty": lambda t: t.empty(2, 3, device="meta"),
    "zeros": lambda t: t.zeros((4,), dtype=t.float64, device="meta"),
    "ones_grad": lambda t: t.ones(2, device="meta", requires_grad=True),
    "full_int": lambda t: t.full((2, 2), 7, device="meta"),
    "full_float": lambda t: t.full((3,), 1.5, device="meta"),
    "randn": lambda t: t.randn(3, 4, device="meta"),
    "rand": lambda t: t.rand(2, device="meta", dtype=t.float16),
    "randint": lambda t: t.randint(0, 5, (3,), device="meta"),
    "randperm": lambda t: t.randperm(6, device="meta"),
    "arange": lambda t: t.arange(10, device="meta"),
    "arange_float": lambda t: t.arange(0, 1, 0.3, device="meta"),
    "arange_int_trunc": lambda t: t.arange(0, 5.5, dtype=t.int64, device="meta"),
    "linspace": lambda t: t.linspace(0, 1, 5, device="meta"),
    "eye": lambda t: t.eye(3, 4, device="meta"),
    "tensor": lambda t: t.tensor([[1, 2], [3, 4]], device="meta"),
    "empty_strided": lambda t: t.empty_strided((2, 3), (1, 2), device="meta"),
    "empty_like": lambda t: t.empty_like(t.empty(3, 2, device="meta").t()),
    "zeros_like_cpu_to_meta": lambda t: t.zeros_like(t.ones(2, 3), device="meta"),
    "new_ones": lambda t: t.empty(2, device="meta").new_ones((3, 1)),
    "to_meta": lambda t: t.ones(2, 3).t().to("meta"),
    "to_meta_dtype": lambda t: t.ones(2, 3).to("meta", t.float64),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_make_meta_tensors(name):
    ours, theirs = _both(FACTORIES[name])
    assert ours == theirs


def test_meta_tensor_queries_and_repr():
    for lib in (T, rt):
        t = lib.empty(2, 3, device="meta")
        assert t.is_meta and t.device.type == "meta" and t.device == lib.device("meta")
        assert (t.numel(), t.element_size(), t.nbytes, t.storage_offset(), t.is_contiguous()) == (6, 4, 24, 0, True)
    for f in (lambda t: t.empty(2, 3, device="meta"), lambda t: t.ones((), dtype=t.int32, device="meta"),
              lambda t: t.zeros(0, device="meta"), lambda t: t.arange(3, device="meta"),
              lambda t: t.ones(2, device="meta", requires_grad=True) * 2):
        assert repr(f(T)) == repr(f(rt))
    with T.device("meta"):
        assert repr(T.nn.Linear(3, 4).weight) == "Parameter containing:\n" + \
            "tensor(..., device='meta', size=(4, 3), requires_grad=True)"


def test_device_context_and_default_device():
    for lib in (T, rt):
        assert lib.get_default_device() == lib.device("cpu")
        with lib.device("meta"):
            assert lib.get_default_device() == lib.device("meta")
            assert lib.empty(2).is_meta and lib.tensor([1, 2]).is_meta and lib.arange(3).is_meta
            assert not lib.zeros_like(lib.ones(2, device="cpu")).is_meta  # *_like follows its input
            with lib.device("cpu"):
                assert not lib.ones(1).is_meta
            assert lib.ones(1).is_meta
        assert lib.get_default_device() == lib.device("cpu")
        assert not lib.empty(2).is_meta
        lib.set_default_device("meta")
        try:
            assert lib.zeros(3).is_meta and lib.get_default_device().type == "meta"
            with lib.device("cpu"):
                assert not lib.zeros(3).is_meta
            assert lib.get_default_device().type == "meta"  # the context gave back the default it found
        finally:
            lib.set_default_device(None)
        assert lib.get_default_device() == lib.device("cpu")


def test_random_factories_on_meta_draw_nothing():
    for lib in (T, rt):
        lib.manual_seed(3)
        lib.randn(5, device="meta")
        lib.rand(5, device="meta")
        lib.empty(4, device="meta").uniform_()
        lib.empty(4, device="meta").normal_()
        after = lib.rand(3).tolist()
        lib.manual_seed(3)
        assert lib.rand(3).tolist() == after


OPS = {
    "add_broadcast": lambda t, x, y: x + y[0],
    "mul_scalar_keeps_layout": lambda t, x, y: x.t() * 2,
    "int_plus_float": lambda t, x, y: t.arange(6, device="meta").reshape(2, 3) + 1.5,
    "compare": lambda t, x, y: x > y,
    "isnan": lambda t, x, y: t.isnan(x),
    "abs_int": lambda t, x, y: t.ones(3, dtype=t.int32, device="meta").abs(),
    "where": lambda t, x, y: t.where(x > 0, x, y),
    "sum_dim": lambda t, x, y: x.sum(1, keepdim=True),
    "sum_int": lambda t, x, y: t.ones(2, 3, dtype=t.int32, device="meta").sum(),
    "mean_dims": lambda t, x, y: x.mean((0, 1)),
    "max_dim": lambda t, x, y: x.max(dim=1)[1],
    "argmax": lambda t, x, y: x.argmax(),
    "any": lambda t, x, y: (x > 0).any(1),
    "std": lambda t, x, y: x.std(0),
    "softmax": lambda t, x, y: t.softmax(x, -1, dtype=t.float64),
    "cumsum_int": lambda t, x, y: t.ones(4, dtype=t.int32, device="meta").cumsum(0),
    "matmul": lambda t, x, y: x @ y.t(),
    "bmm": lambda t, x, y: t.bmm(x.unsqueeze(0), y.t().unsqueeze(0)),
    "linear": lambda t, x, y: t.nn.functional.linear(x, t.empty(5, 3, device="meta"), t.empty(5, device="meta")),
    "cat": lambda t, x, y: t.cat([x, y], 0),
    "stack": lambda t, x, y: t.stack([x, y], 1),
    "view_ops": lambda t, x, y: x.t()[1:, ::2].unsqueeze(0).expand(4, 2, 1),
    "reshape": lambda t, x, y: x.reshape(3, 2),
    "contiguous": lambda t, x, y: x.t().contiguous(),
    "clone_preserves": lambda t, x, y: x.t().clone(),
    "embedding": lambda t, x, y: t.nn.functional.embedding(t.zeros(2, 5, dtype=t.long, device="meta"),
                                                            t.empty(10, 4, device="meta")),
    "index_adv": lambda t, x, y: x[t.zeros(4, dtype=t.long, device="meta")],
    "index_select": lambda t, x, y: x.index_select(1, t.zeros(5, dtype=t.long, device="meta")),
    "gather": lambda t, x, y: x.gather(1, t.zeros(2, 7, dtype=t.long, device="meta")),
    "layer_norm": lambda t, x, y: t.nn.functional.layer_norm(x, (3,)),
    "gelu": lambda t, x, y: t.nn.functional.gelu(x),
    "conv2d": lambda t, x, y: t.nn.functional.conv2d(t.empty(2, 3, 9, 8, device="meta"),
                                                      t.empty(4, 3, 3, 2, device="meta"), stride=2, padding=1),
    "max_pool2d": lambda t, x, y: t.nn.functional.max_pool2d(t.empty(1, 2, 7, 7, device="meta"), 2, ceil_mode=True),
    "pad": lambda t, x, y: t.nn.functional.pad(x, (1, 2)),
    "to_float64": lambda t, x, y: x.to(t.float64),
    "topk": lambda t, x, y: x.topk(2, dim=1)[0],
    "sort_indices": lambda t, x, y: x.sort(0)[1],
    "tril": lambda t, x, y: t.tril(x),
    "inplace": lambda t, x, y: x.add_(y).mul_(2),
    "inplace_fill": lambda t, x, y: x.fill_(3).zero_(),
    "setitem": lambda t, x, y: x.__setitem__(0, 1.0),
    "backward_graph": lambda t, x, y: (x.requires_grad_() * y).sum(),
    # errors: PyTorch's types
    "bad_broadcast": lambda t, x, y: x + t.empty(4, device="meta"),
    "bad_matmul": lambda t, x, y: x @ y,
    "mixed_devices": lambda t, x, y: x + t.ones(2, 3),
    "cpu_scalar_ok": lambda t, x, y: x + t.tensor(2.0),
    "item": lambda t, x, y: x.sum().item(),
    "bool": lambda t, x, y: bool(x[0, 0]),
    "tolist": lambda t, x, y: x.tolist(),
    "numpy": lambda t, x, y: x.numpy(),
    "cpu": lambda t, x, y: x.cpu(),
    "to_cpu": lambda t, x, y: x.to("cpu"),
    "copy_out": lambda t, x, y: t.ones(2, 3).copy_(x),
    "copy_in": lambda t, x, y: x.copy_(t.ones(2, 3)),
    "nonzero": lambda t, x, y: t.nonzero(x),
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_on_meta_match_torch(name):
    def run(lib):
        x, y = lib.empty(2, 3, device="meta"), lib.empty(2, 3, device="meta")
        r = OPS[name](lib, x, y)
        return x if r is None else r
    ours, theirs = _outcome(run, T), _outcome(run, rt)
    if theirs[0] == "ok":
        assert ours == theirs
    else:  # same error type; the message where mstorch can say the same
        assert ours[0] == theirs[0], (ours, theirs)
        if name in _SAME_MESSAGE:
            assert ours[1] == theirs[1]


# Errors whose messages mstorch words as PyTorch does (PyTorch's meta shape errors come from
# its Python reference implementations and are worded apart from its CPU errors).
_SAME_MESSAGE = ("mixed_devices", "item", "bool", "tolist", "numpy", "cpu", "to_cpu", "copy_out")


def test_grad_flows_through_meta_ops():
    for lib in (T, rt):
        w = lib.empty(3, 4, device="meta", requires_grad=True)
        (lib.empty(2, 3, device="meta") @ w).relu().sum().backward()
        assert w.grad.is_meta and tuple(w.grad.shape) == (3, 4)


def test_module_built_on_meta_and_materialised():
    with T.device("meta"):
        m = T.nn.Sequential(T.nn.Linear(3, 4), T.nn.LayerNorm(4), T.nn.Embedding(5, 4))
    assert all(p.is_meta for p in m.parameters())
    assert isinstance(m[0].weight, T.nn.Parameter) and m[0].weight.requires_grad
    out = m[1](m[0](T.empty(2, 3, device="meta")))
    assert out.is_meta and tuple(out.shape) == (2, 4)
    with pytest.raises(NotImplementedError, match="to_empty"):
        m.to("cpu")
    m.to_empty(device="cpu")
    assert not any(p.is_meta for p in m.parameters())
    assert all(isinstance(p, T.nn.Parameter) and p.requires_grad for p in m.parameters())
    m2 = T.nn.Linear(3, 4).to("meta")
    assert m2.weight.is_meta and isinstance(m2.weight, T.nn.Parameter)


def test_load_state_dict_assign_replaces_meta_params():
    src = T.nn.Linear(3, 4)
    with T.device("meta"):
        m = T.nn.Linear(3, 4)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m.load_state_dict(src.state_dict())
    assert m.weight.is_meta and any("copying from a non-meta parameter" in str(x.message) for x in w)
    m.load_state_dict(src.state_dict(), assign=True)
    assert not m.weight.is_meta and isinstance(m.weight, T.nn.Parameter) and m.weight.requires_grad
    x = T.randn(2, 3)
    assert m(x).tolist() == src(x).tolist()


def test_copy_pickle_and_init_on_meta():
    import copy
    import pickle
    for lib in (T, rt):
        p = lib.nn.Parameter(lib.empty(3, 2, device="meta").t())
        for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
            assert type(q) is type(p) and _geom(q) == _geom(p)
        w = lib.empty(4, 3, device="meta")
        for init in (lib.nn.init.trunc_normal_, lib.nn.init.orthogonal_, lib.nn.init.kaiming_uniform_,
                     lib.nn.init.xavier_normal_, lib.nn.init.zeros_):
            assert init(w) is w
        with lib.device("meta"):  # inits of CPU tensors inside the context stay on the CPU
            c = lib.nn.init.trunc_normal_(lib.empty(3, 3, device="cpu"))
            assert not c.is_meta and bool((c.abs() <= 2).all())
            assert not lib.nn.init.orthogonal_(lib.empty(3, 3, device="cpu")).is_meta
            x = lib.ones(2, 2, device="cpu")
            x[0] = 5.0  # a Python value written into a CPU tensor
            assert x.sum().item() == 12.0


def test_parameter_rebuilt_from_its_dict_on_meta():
    """accelerate's init_empty_weights re-creates each registered parameter as
    `type(p)(p.to("meta"), **p.__dict__)` (with requires_grad added)."""
    for lib in (T, rt):
        m = lib.nn.Linear(3, 4)
        m(lib.ones(1, 3)).sum().backward()  # bookkeeping of a used parameter
        p = m.weight
        kwargs = dict(p.__dict__)
        kwargs["requires_grad"] = p.requires_grad
        q = type(p)(p.to("meta"), **kwargs)
        assert q.is_meta and isinstance(q, lib.nn.Parameter) and q.requires_grad and q.grad is None
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        T.nn.Parameter(T.ones(1), bogus=1)
