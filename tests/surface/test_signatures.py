"""PyTorch 2.13's public keyword names, everywhere mstorch serves a torch function or method.

1. The keyword names each served function (table ops and mstorch's Python-level functions
   in torch, torch.nn.functional, torch.linalg, ...), each class of torch.nn, torch.optim,
   torch.utils.data (its constructor) and each Tensor method accepts are
   PyTorch's (tests/surface/torch_signatures.py reads them from real torch), up to the differences
   listed with a reason in tests/surface/signature_manifest.py, which must stay exact.
2. For every table entry, a call spelt with keywords only gives what the positional call
   gives in torch, and an unknown keyword raises TypeError in both.
"""
import importlib
import inspect
import types

import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings

import mstorch
from tests.parity.compare import assert_same, assert_same_meta
from tests.parity.runner import SAMPLES, TABLE, build
from tests.parity.strategies import cases
from signature_manifest import KEYWORD_CALLS, KNOWN, NUMPY_SPELLINGS_ON_PYTHON_FUNCTIONS
from torch_signatures import NUMPY_ALIASES, STUB_CORRECTIONS, keywords as torch_keywords

MT = mstorch.torch
# Modules whose mstorch Python-level functions are compared too (table namespaces always are).
# Modules whose classes' constructor keywords are compared (inspect.signature of the class).
CLASS_MODULES = ("torch.nn", "torch.optim", "torch.optim.lr_scheduler", "torch.utils.data")
PYTHON_MODULES = ("torch", "torch.nn.functional", "torch.linalg", "torch.special", "torch.nn.init",
                  "torch.autograd", "torch.random", "torch.utils.checkpoint", "torch.nn.utils")


def _module(lib, name):
    mod = lib
    for part in name.split(".")[1:]:
        mod = getattr(mod, part)
    return mod


def _impl_functions(module_name):
    try:
        impl = importlib.import_module("mstorch.impl." + module_name)
    except ModuleNotFoundError:
        return set()
    return {n for n, v in vars(impl).items() if isinstance(v, types.FunctionType) and not n.startswith("_")
            and v.__module__.startswith("mstorch.impl.")}


def served():
    """{qualified name: (our callable, torch's, is a method)} for everything both serve:
    functions, classes (their constructors) and Tensor methods."""
    from dispatch import namespace
    out = {}
    for ns in sorted(set(namespace.namespaces()) | set(PYTHON_MODULES)):
        ours_mod, ref_mod = _module(MT, ns), _module(torch, ns)
        for name in sorted(set(namespace.names(ns)) | _impl_functions(ns)):
            ref = getattr(ref_mod, name, None)
            if ref is None or not callable(ref) or isinstance(ref, type):
                continue
            out[f"{ns}.{name}"] = (getattr(ours_mod, name), ref, False)
    for ns in CLASS_MODULES:
        ours_mod, ref_mod = _module(MT, ns), _module(torch, ns)
        for name in dir(ref_mod):
            ref = getattr(ref_mod, name)
            if name.startswith("_") or not isinstance(ref, type):
                continue
            try:
                ours = getattr(ours_mod, name)
            except AttributeError:
                continue  # not served: tests/surface/test_api_coverage.py keeps that list
            if isinstance(ours, type):
                out[f"{ns}.{name}"] = (ours, ref, False)
    for name in dir(MT.Tensor):
        if name.startswith("__") or not hasattr(torch.Tensor, name):
            continue
        if isinstance(inspect.getattr_static(torch.Tensor, name), property):
            continue
        ours, ref = getattr(MT.Tensor, name), getattr(torch.Tensor, name)
        if callable(ours) and callable(ref) and not isinstance(ref, type):
            out[f"Tensor.{name}"] = (ours, ref, True)
    return out


def our_keywords(fn, method):
    """(keyword names, takes **kwargs) of an mstorch callable."""
    names = getattr(fn, "__mstorch_keywords__", None)
    if names is not None:
        return set(names), False
    params = list(inspect.signature(fn).parameters.values())
    if method and params:
        params = params[1:]
    return ({p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)},
            any(p.kind is p.VAR_KEYWORD for p in params))


def _is_python_level(fn):
    try:
        inspect.signature(fn)
        return True
    except (TypeError, ValueError):
        return False


def differences():
    """{qualified name: (missing, extra)}: keyword names torch takes that mstorch does not, and
    the reverse ("**" stands for taking any keyword)."""
    out = {}
    for qual, (ours, ref, method) in served().items():
        theirs = torch_keywords(ref, method, qual)
        if theirs is None:
            out[qual] = ({"<torch's signature unreadable>"}, set())
            continue
        ref_names, ref_var = theirs
        names, var = our_keywords(ours, method)
        if ref_var and not ref_names:
            continue  # torch's is a bare (*args, **kwargs) dispatcher: names are not public
        missing, extra = ref_names - names, names - ref_names
        if var and not ref_var:
            extra.add("**")
        if ref_var and not var:
            missing.add("**")
        spellings = {a for n, aliases in NUMPY_ALIASES.items() for a in aliases}
        if _is_python_level(ref):
            extra -= {a for n, aliases in NUMPY_ALIASES.items() if n in ref_names for a in aliases}
        elif not hasattr(ours, "__mstorch_keywords__"):
            missing -= spellings  # NUMPY_SPELLINGS_ON_PYTHON_FUNCTIONS, the other way round
        if missing or extra:
            out[qual] = (missing, extra)
    return out


def test_keyword_names_are_pytorchs():
    found = differences()
    problems = []
    for qual, (missing, extra) in sorted(found.items()):
        known = KNOWN.get(qual)
        want = (set(known.missing), set(known.extra)) if known else (set(), set())
        if (missing, extra) != want:
            problems.append(f"{qual}: torch's names mstorch lacks {sorted(missing)}, mstorch's extra {sorted(extra)}"
                            + (f" (manifest says {sorted(want[0])} / {sorted(want[1])})" if known else ""))
    stale = sorted(set(KNOWN) - set(found))
    problems += [f"{qual}: listed in tests/surface/signature_manifest.py but no longer differs" for qual in stale]
    assert not problems, "\n".join(problems)


def test_manifest_gives_a_reason_for_each_difference():
    assert NUMPY_SPELLINGS_ON_PYTHON_FUNCTIONS.strip()
    assert not set(KNOWN) - set(served()), "the manifest names functions mstorch does not serve"
    for qual, known in KNOWN.items():
        assert known.reason.strip() and (known.missing or known.extra), qual


def test_numpy_spellings_and_input():
    """The spellings PyTorch's argument parser takes beside the schema's names."""
    x, i = MT.arange(6.).reshape(2, 3), MT.zeros(2, 1, dtype=MT.long)
    assert MT.gather(input=x, dim=1, index=i).tolist() == [[0.], [3.]]
    assert MT.gather(x, axis=1, index=i).tolist() == [[0.], [3.]]
    assert MT.sum(x, axis=1, keepdims=True).shape == (2, 1)
    assert x.sum(axis=0).tolist() == [3., 5., 7.]
    assert MT.abs(a=-x).tolist() == x.tolist()
    assert x.add(x2=x).tolist() == (2 * x).tolist()
    assert MT.reshape(a=x, shape=(3, 2)).shape == (3, 2)
    assert MT.det(input=MT.eye(2)).item() == MT.linalg.det(A=MT.eye(2)).item() == 1.0
    for bad in (lambda: MT.sum(x, dim=1, axis=1), lambda: MT.gather(x, 1), lambda: MT.add(self=x, other=x),
                lambda: MT.det(A=MT.eye(2)), lambda: MT.linalg.det(input=MT.eye(2))):
        with pytest.raises(TypeError):
            bad()


def test_stub_corrections_hold():
    """Each correction of PyTorch's stub files in tests/surface/torch_signatures.py, probed on torch."""
    x = torch.ones(2, 3)
    for qual, (add, drop) in STUB_CORRECTIONS.items():
        kind, _, name = qual.rpartition(".")
        fn = getattr(x, name) if kind == "Tensor" else getattr(_module(torch, kind), name)
        args = (x,) if name in ("add", "sub", "mul", "floor_divide", "true_divide") else \
            (4,) if name in ("fftfreq", "rfftfreq") else ()
        first = torch.tensor([0, 1]) if name == "one_hot" else x
        values = {"input": first, "requires_grad": False, "memory_format": torch.preserve_format, "self": x,
                  "mode": False, "out": torch.empty(2, 3), "tensor": first}
        for kw in add:
            fn(*args, **{kw: values[kw]})
        for kw in drop:
            with pytest.raises(TypeError):
                fn(*args, **{kw: values[kw]})


# ---- keyword calls ------------------------------------------------------------------------

def _spelling(name):
    """(our callable, torch's, whether a method) for an entry's most public spelling, or None."""
    e = TABLE[name]
    if "function" in e["variants"] or "out" in e["variants"]:
        ns = e["namespaces"][0]
        return getattr(_module(MT, ns), name), getattr(_module(torch, ns), name), False
    if "method" in e["variants"]:
        return getattr(MT.Tensor, name), getattr(torch.Tensor, name), True
    return None


NAMES = sorted(n for n in TABLE if _spelling(n) is not None)
CHECKED = set()  # entries whose keyword call was made (for the count printed by -s runs)
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=1, derandomize=True)


def _call(fn, args, kwargs, lib):
    lib.manual_seed(0)
    try:
        return fn(*args, **kwargs), None
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return None, e


@pytest.mark.parametrize("name", NAMES)
def test_keyword_call_is_the_positional_call(name):
    ours, ref, method = _spelling(name)
    if not hasattr(ours, "__mstorch_overloads__"):
        return  # a Python-level override of the table op (Tensor.view): the names test covers it
    sample = SAMPLES[name]
    meta = sample.get("compare") == "meta"
    qual = ("Tensor." if method else TABLE[name]["namespaces"][0] + ".") + name

    @settings(**_SETTINGS)
    @given(cases(sample))
    def run(case):
        _, args, kwargs = case
        a, k, _ = build(args, kwargs, torch)
        want, err = _call(ref, a, k, torch)
        assume(err is None)  # an invalid draw: parity tests cover errors
        tried = []
        for names in ours.__mstorch_overloads__:
            n = len(args) - (1 if method else 0)
            params = names[1:] if method else names
            if n > len(params) or set(params[:n]) & set(kwargs):
                continue
            spelt = dict(zip(params[:n], args[len(args) - n:]))
            spelt.update(kwargs)
            head = args[:1] if method else []
            a, k, _ = build(head, spelt, torch)
            got_ref, err = _call(ref, a, k, torch)
            if isinstance(err, TypeError):
                tried.append(f"{sorted(spelt)}: {err}")
                continue
            assert err is None, f"torch, keyword call {sorted(spelt)}: {err!r}"
            a, k, _ = build(head, spelt, MT)
            got, err = _call(ours, a, k, MT)
            assert err is None, f"mstorch, keyword call {sorted(spelt)}: {err!r}"
            if meta:
                assert_same_meta(got, got_ref)
            else:
                assert_same(got, got_ref, sample.get("rtol"), sample.get("atol"))
            a, k, _ = build(head, spelt, MT)
            with pytest.raises(TypeError):
                ours(*a, no_such_argument=1, **k)
            CHECKED.add(name)
            return
        if qual in KNOWN and KNOWN[qual].extra or name in KEYWORD_CALLS:
            return  # the manifest says why torch rejects these names
        assert not tried, "torch rejects mstorch's keyword names:\n" + "\n".join(tried)
    run()
