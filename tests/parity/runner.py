"""Calling one table op the same way in mstorch and in torch, and comparing."""
import builtins

import numpy as np
import torch

import mstorch
from ops_table.generate import build_table, load_entries
from tests.parity.compare import assert_same, assert_same_meta, to_numpy
from tests.parity.strategies import Arr
from tests.parity.tolerances import GRAD

MT = mstorch.torch
# Collectives need a process group: tests/distributed/test_collectives.py checks them on
# two processes against PyTorch's (sample compare="collective").
_ENTRIES = [(f, e) for f, e in load_entries() if e["samples"].get("compare") != "collective"]
TABLE = build_table(_ENTRIES)
SAMPLES = {name: e["samples"] for name, e in zip(TABLE, (e for _, e in _ENTRIES))}


def _resolve(lib, ns, name):
    mod = lib
    for part in ns.split(".")[1:]:
        mod = getattr(mod, part)
    return getattr(mod, name)


def callables(name):
    """(our callable, torch callable, how) for the op's most public spelling."""
    e = TABLE[name]
    if "function" in e["variants"] or "out" in e["variants"]:
        ns = e["namespaces"][0]
        return _resolve(MT, ns, name), _resolve(torch, ns, name), "function"
    if "method" in e["variants"]:
        return (lambda *a, **k: getattr(a[0], name)(*a[1:], **k)), \
               (lambda *a, **k: getattr(a[0], name)(*a[1:], **k)), "method"
    if "inplace" in e["variants"]:
        # In-place-only ops (copy_, fill_, zero_): run on a clone so leaves stay untouched.
        method = (e["aliases"] or [name])[0] + "_"

        def inplace(*a, **k):
            return getattr(a[0].clone(), method)(*a[1:], **k)
        return inplace, inplace, "inplace"
    from dispatch.opsns import T
    oracle = SAMPLES[name].get("oracle")
    if oracle:
        ref = torch
        for part in oracle.split(".")[1:]:
            ref = getattr(ref, part)
        return getattr(T, name), ref, "private"
    return getattr(T, name), getattr(torch.ops.aten, name), "aten"


_DTYPE_NAMES = {"float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
                "complex64"}


def build(args, kwargs, lib, requires_grad=False):
    leaves = []

    def conv(v):
        if isinstance(v, str) and v in _DTYPE_NAMES:
            return getattr(lib, v)
        if isinstance(v, Arr):
            rg = requires_grad and v.dtype in ("float32", "float64")
            leaf, x = v.build(lib, rg)
            if rg:
                leaves.append(leaf)
            return x
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    return [conv(a) for a in args], {k: conv(v) for k, v in kwargs.items()}, leaves


def builtin_error_type(exc):
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return Exception


def call_both(name, args, kwargs):
    return call_both_keeping_args(name, args, kwargs)[:4]


def call_both_keeping_args(name, args, kwargs):
    """call_both's four results, then the arguments each side was called with (for ops
    that write their arguments)."""
    ours_fn, ref_fn, _ = callables(name)
    a1, k1, _ = build(args, kwargs, MT)
    a2, k2, _ = build(args, kwargs, torch)
    ref_exc = ours_exc = ours = ref = None
    try:
        ref = ref_fn(*a2, **k2)
    except Exception as e:  # noqa: BLE001 - the oracle's error type is what we compare
        ref_exc = e
    try:
        ours = ours_fn(*a1, **k1)
    except Exception as e:  # noqa: BLE001
        ours_exc = e
    return ours, ours_exc, ref if ref_exc is None else None, ref_exc, a1, a2


def written_positions(name):
    """Positions of the arguments the op's schema marks as written (`Tensor(a!)[] self`)."""
    return [i for i, a in enumerate(TABLE[name]["overloads"][0]["args"]) if a.get("writes")]


def check_forward(name, args, kwargs, sample):
    """Compare one call; returns (ours, torch's) results for further checks, None when both raised."""
    ours, ours_exc, ref, ref_exc, ours_args, ref_args = call_both_keeping_args(name, args, kwargs)
    if ref_exc is not None:
        want = builtin_error_type(ref_exc)
        assert ours_exc is not None, f"torch raised {want.__name__}: {ref_exc}; mstorch returned {ours!r}"
        assert isinstance(ours_exc, want), (f"torch raised {want.__name__}({ref_exc}); mstorch raised "
                                            f"{type(ours_exc).__name__}({ours_exc})")
        return
    if ours_exc is not None:
        raise AssertionError(f"mstorch raised {type(ours_exc).__name__}: {ours_exc}") from ours_exc
    if sample.get("compare") == "meta":
        assert_same_meta(ours, ref)
    else:
        assert_same(ours, ref, sample.get("rtol"), sample.get("atol"))
    for i in written_positions(name):
        if i < len(ref_args):
            assert_same(ours_args[i], ref_args[i], sample.get("rtol"), sample.get("atol"), what=f"written arg {i}")
    return ours, ref


def _diff_outputs(out, lib):
    outs = out if isinstance(out, (tuple, list)) else [out]
    return [o for o in outs if isinstance(o, lib.Tensor) and o.dtype in (lib.float32, lib.float64)
            and o.requires_grad]


def check_grad(name, args, kwargs, sample, seed=0):
    ours_fn, ref_fn, _ = callables(name)
    a1, k1, leaves1 = build(args, kwargs, MT, requires_grad=True)
    a2, k2, leaves2 = build(args, kwargs, torch, requires_grad=True)
    if not leaves2:
        return
    try:
        ref = ref_fn(*a2, **k2)
    except Exception:  # noqa: BLE001 - invalid draws are checked by check_forward
        return
    outs2 = _diff_outputs(ref, torch)
    if not outs2:
        return
    ours = ours_fn(*a1, **k1)
    outs1 = _diff_outputs(ours, MT)
    assert len(outs1) == len(outs2), f"{len(outs1)} differentiable outputs vs torch's {len(outs2)}"
    rng = np.random.default_rng(seed)
    cots = [rng.uniform(-1, 1, size=tuple(o.shape)).astype(to_numpy(o).dtype) for o in outs2]
    loss2 = builtins.sum((o * torch.from_numpy(c.copy())).sum() for o, c in zip(outs2, cots))
    loss1 = builtins.sum((o * MT.from_numpy(c.copy())).sum() for o, c in zip(outs1, cots))
    if not loss2.requires_grad:
        return
    try:
        g2 = torch.autograd.grad(loss2, leaves2, allow_unused=True)
    except RuntimeError as e:  # torch has no derivative: mstorch must say so too
        try:
            MT.autograd.grad(loss1, leaves1, allow_unused=True)
        except RuntimeError:
            return
        raise AssertionError(f"torch's backward raised ({e}); mstorch's did not") from None
    g1 = MT.autograd.grad(loss1, leaves1, allow_unused=True)
    for k, (x, y) in enumerate(zip(g1, g2)):
        if y is None:
            assert x is None or not np.any(to_numpy(x)), f"grad[{k}]: torch has none"
            continue
        assert x is not None, f"grad[{k}]: mstorch produced none"
        assert_same(x, y, table=GRAD, what=f"grad[{k}]")
