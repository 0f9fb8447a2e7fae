"""Device answers both ways: a plain CPU host (PyTorch's CPU-build answers, real torch as
oracle), --cuda-to-cpu / MSTORCH_CUDA_TO_CPU=1 (in subprocesses), and the accelerator
mapping through an injected MindSpore device target (answers only: kernels still run here)."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch as rt

import mstorch
from dispatch import devices

T = mstorch.torch
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = pytest.mark.skipif(devices.cuda_to_cpu(), reason="needs a process without MSTORCH_CUDA_TO_CPU")


def _outcome(f):
    try:
        r = f()
        return ("ok", r if isinstance(r, (bool, int, float, str, type(None))) else str(r))
    except Exception as e:  # noqa: BLE001 - the error type is what is compared
        return (type(e).__name__, str(e).split("\n")[0][:60])


CPU_HOST_CASES = [
    ("is_available", lambda tc: tc.cuda.is_available()),
    ("device_count", lambda tc: tc.cuda.device_count()),
    ("current_device", lambda tc: tc.cuda.current_device()),
    ("synchronize", lambda tc: tc.cuda.synchronize()),
    ("empty_cache", lambda tc: tc.cuda.empty_cache()),
    ("manual_seed", lambda tc: tc.cuda.manual_seed(1)),
    ("manual_seed_all", lambda tc: tc.cuda.manual_seed_all(1)),
    ("get_device_name", lambda tc: tc.cuda.get_device_name()),
    ("get_device_properties", lambda tc: tc.cuda.get_device_properties(0)),
    ("memory_allocated", lambda tc: tc.cuda.memory_allocated()),
    ("max_memory_allocated", lambda tc: tc.cuda.max_memory_allocated()),
    ("memory_reserved", lambda tc: tc.cuda.memory_reserved()),
    ("Stream", lambda tc: tc.cuda.Stream()),
    ("Event", lambda tc: tc.cuda.Event()),
    ("device_ctx", lambda tc: tc.cuda.device(0).__enter__()),
    ("is_bf16_supported", lambda tc: tc.cuda.is_bf16_supported()),
    ("tensor.cuda", lambda tc: tc.zeros(1).cuda()),
    ("to cuda", lambda tc: tc.zeros(1).to("cuda")),
    ("to cuda:0 dtype", lambda tc: tc.zeros(1).to("cuda:0", tc.float64)),
    ("factory device", lambda tc: tc.zeros(1, device="cuda")),
    ("tensor device", lambda tc: tc.tensor([1.0], device=tc.device("cuda", 0))),
    ("cpu", lambda tc: str(tc.zeros(1).cpu().device)),
    ("to cpu", lambda tc: str(tc.zeros(1).to("cpu", non_blocking=True).device)),
    ("module.cuda", lambda tc: tc.nn.Linear(2, 2).cuda()),
    ("acc available", lambda tc: tc.accelerator.is_available()),
    ("acc current", lambda tc: tc.accelerator.current_accelerator()),
    ("acc count", lambda tc: tc.accelerator.device_count()),
    ("acc index", lambda tc: tc.accelerator.current_device_index()),
    ("acc sync", lambda tc: tc.accelerator.synchronize()),
    ("cudnn available", lambda tc: tc.backends.cudnn.is_available()),
    ("cudnn enabled", lambda tc: tc.backends.cudnn.enabled),
    ("cudnn benchmark", lambda tc: tc.backends.cudnn.benchmark),
    ("cudnn deterministic", lambda tc: tc.backends.cudnn.deterministic),
    ("cudnn allow_tf32", lambda tc: tc.backends.cudnn.allow_tf32),
    ("matmul allow_tf32", lambda tc: tc.backends.cuda.matmul.allow_tf32),
    ("flash sdp", lambda tc: tc.backends.cuda.flash_sdp_enabled()),
    ("mps available", lambda tc: tc.backends.mps.is_available()),
    ("mps built", lambda tc: tc.backends.mps.is_built()),
    ("mkldnn available", lambda tc: tc.backends.mkldnn.is_available()),
    ("opt_einsum available", lambda tc: tc.backends.opt_einsum.is_available()),
    ("device repr", lambda tc: repr(tc.device("cuda:1"))),
    ("device eq", lambda tc: tc.device("cuda") == tc.device("cuda", 0)),
]


@pytest.mark.parametrize("name,fn", CPU_HOST_CASES, ids=[c[0] for c in CPU_HOST_CASES])
def test_cpu_host_answers_match_torch(name, fn):
    ref, got = _outcome(lambda: fn(rt)), _outcome(lambda: fn(T))
    if ref[0] == "ok" and got[0] == "ok" and name in ("acc current",):
        assert str(got[1]) == str(ref[1])
        return
    assert got[0] == ref[0], (got, ref)
    if ref[0] == "ok" or ref[0] == "AssertionError":
        assert got[1] == ref[1], (got, ref)


def test_backend_flags_are_remembered():
    cudnn = T.backends.cudnn
    old = cudnn.benchmark
    try:
        cudnn.benchmark = True
        assert T.backends.cudnn.benchmark is True
        with cudnn.flags(enabled=False, benchmark=False):
            assert T.backends.cudnn.enabled is False and T.backends.cudnn.benchmark is False
        assert T.backends.cudnn.benchmark is True and T.backends.cudnn.enabled is True
    finally:
        cudnn.benchmark = old
    m = T.backends.cuda.matmul
    m.allow_tf32 = True
    assert T.backends.cuda.matmul.allow_tf32 is True
    m.allow_tf32 = False


def test_injected_accelerator_target():
    """Stated as such: the MindSpore target is injected; answers change, kernels do not move."""
    with devices.inject_target("ascend"):
        assert T.cuda.is_available() and T.cuda.device_count() == 1
        assert T.cuda.current_device() == 0
        assert T.accelerator.is_available() and str(T.accelerator.current_accelerator()) == "cuda"
        assert devices.check("cuda:0") == T.device("cuda", 0)
        assert devices.check("npu") == T.device("npu", 0)
        with pytest.raises(RuntimeError, match="invalid device ordinal"):
            devices.check("cuda:3")
        assert "Ascend" in T.cuda.get_device_name(0)
        x = T.ones(2).cuda()
        assert x.tolist() == [1.0, 1.0]
    with devices.inject_target("gpu"):
        assert T.cuda.is_available() and "GPU" in T.cuda.get_device_name()
    with devices.inject_target("cpu"):
        assert not T.cuda.is_available()
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            T.ones(1).cuda()


def test_no_tracking_cost_without_the_flag():
    from dispatch import storage
    assert not devices.tracking
    assert not getattr(storage.Storage, "_reports_allocations", False)


_CHILD = textwrap.dedent("""
    import json, sys, warnings
    import torch
    out = {"avail": torch.cuda.is_available(), "count": torch.cuda.device_count(),
           "current": torch.cuda.current_device(), "acc": str(torch.accelerator.current_accelerator())}
    base = torch.cuda.memory_allocated()
    x = torch.zeros(1000, device="cuda")                    # 4000 bytes
    y = torch.ones(250, 250).cuda()                         # 250000 bytes
    out["after_alloc"] = torch.cuda.memory_allocated() - base
    peak = torch.cuda.max_memory_allocated()
    del y
    out["after_free"] = torch.cuda.memory_allocated() - base
    out["peak_kept"] = torch.cuda.max_memory_allocated() == peak
    torch.cuda.reset_peak_memory_stats()
    out["peak_reset"] = torch.cuda.max_memory_allocated() - base
    m = torch.nn.Linear(3, 2).to(torch.device("cuda:0"))
    out["linear"] = m(torch.ones(1, 3, device="cuda")).shape[-1]
    torch.cuda.synchronize(); torch.cuda.empty_cache(); torch.cuda.manual_seed_all(0)
    s = torch.cuda.Stream(); e0 = torch.cuda.Event(enable_timing=True); e1 = torch.cuda.Event(enable_timing=True)
    e0.record(); e1.record(); e1.synchronize()
    out["elapsed_ok"] = e0.elapsed_time(e1) >= 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sc = torch.amp.GradScaler("cuda")
        out["scaler"] = sc.is_enabled()
        # torch.autocast is torch.amp.autocast once the top-level namespace re-exports it.
        with getattr(torch, "autocast", torch.amp.autocast)("cuda"):
            out["autocast"] = torch.is_autocast_enabled("cuda") if hasattr(torch, "is_autocast_enabled") \\
                else torch.amp.is_autocast_enabled("cuda")
    print(json.dumps(out))
""")


def _run_child(args, env_extra):
    env = dict(os.environ, **env_extra)
    env.pop("MSTORCH_ENABLE", None)
    r = subprocess.run([sys.executable, "-m", "mstorch", *args, "-c", _CHILD], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("how", ["env", "option"])
def test_cuda_to_cpu_mode(how):
    out = _run_child(["--cuda-to-cpu"] if how == "option" else [], {"MSTORCH_CUDA_TO_CPU": "1"}
                     if how == "env" else {})
    assert out["avail"] is True and out["count"] == 1 and out["current"] == 0 and out["acc"] == "cuda"
    assert out["after_alloc"] == 4000 + 250000
    assert out["after_free"] == 4000
    assert out["peak_kept"] and out["peak_reset"] == 4000
    assert out["linear"] == 2 and out["elapsed_ok"]
    assert out["scaler"] is True and out["autocast"] is True


def test_default_mode_child_fails_like_torch():
    env = dict(os.environ)
    env.pop("MSTORCH_CUDA_TO_CPU", None)
    code = "import torch\ntry:\n    torch.zeros(1).cuda()\nexcept AssertionError as e:\n    print('AE', e)\n"
    r = subprocess.run([sys.executable, "-m", "mstorch", "-c", code], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.stdout.strip() == "AE Torch not compiled with CUDA enabled", r.stderr[-2000:]
