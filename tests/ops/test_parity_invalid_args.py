"""Invalid arguments derived from every table entry's own valid samples, against real torch.

For each entry the hypothesis strategy of its sample spec draws valid calls; each call
is then broken in the ways PyTorch refuses, and mstorch must raise the error type torch
raises:
  * every dimension argument (the schema marks them, ops_table/dim_args.py) set to the
    rank and to -rank-1, and dim lists with a repeated dim;
  * every size argument (factories, view/reshape/expand/as_strided...) with a negative size;
  * an index tensor (`index`/`indices`) of a floating dtype.
A derived call torch accepts means the marks are wrong: the test fails. Entries are only
exempted below, each with its reason.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from dispatch.binder import python_names
from tests.parity.runner import SAMPLES, TABLE, builtin_error_type, call_both, callables
from tests.parity.strategies import Arr, cases

_EXAMPLES = {"ci": 3, "dev": 10}.get(settings._current_profile, 30)
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=_EXAMPLES, derandomize=True,
                 database=None)

# Entries whose derived invalid calls cannot be compared, with the reason.
EXEMPT = {
}
_SIZE_NAMES = ("size", "shape", "sizes")
_INDEX_NAMES = ("index", "indices")


def _is_dim(a):
    return bool(a.get("dim_of"))


def _is_size(a):
    return a["name"] in _SIZE_NAMES and a["type"].rstrip("?") in ("SymInt[]", "int[]")


def _is_index(a):
    return a["name"] in _INDEX_NAMES and a["type"].rstrip("?") == "Tensor"


def _has(name, pred):
    return any(pred(a) for ov in TABLE[name]["overloads"] for a in ov["args"])


DIM_ENTRIES = sorted(n for n in TABLE if n not in EXEMPT and _has(n, _is_dim))
SIZE_ENTRIES = sorted(n for n in TABLE if n not in EXEMPT and _has(n, _is_size))
INDEX_ENTRIES = sorted(n for n in TABLE if n not in EXEMPT and _has(n, _is_index))


def _bind(name, args, kwargs, want=lambda a: True):
    """(overload args, python names, {schema position: ("pos", i) | ("kw", key)}) for the first
    overload the drawn call fits that has an argument `want` accepts, or None."""
    how = callables(name)[2]
    variant = "method" if how in ("method", "inplace") else "function"
    for ov in TABLE[name]["overloads"]:
        if not any(want(a) for a in ov["args"]):
            continue
        params = ov["args"]
        names = python_names(params, variant)
        positional = [i for i, a in enumerate(params) if not a["kwonly"]]
        if len(args) > len(positional) or not set(kwargs) <= set(names):
            continue
        where = {positional[k]: ("pos", k) for k in range(len(args))}
        where.update({names.index(key): ("kw", key) for key in kwargs})
        return params, names, where
    return None


def _get(args, kwargs, loc):
    return args[loc[1]] if loc[0] == "pos" else kwargs[loc[1]]


def _put(args, kwargs, loc, value):
    args, kwargs = list(args), dict(kwargs)
    if loc[0] == "pos":
        args[loc[1]] = value
    else:
        kwargs[loc[1]] = value
    return args, kwargs


def _ndim(v):
    return v.ndim if isinstance(v, Arr) else None


def _rank(rule, params, where, args, kwargs):
    """The rank the dims of `rule` refer to, from the drawn arrays (mirrors dispatch/binder.py)."""
    tensors = [i for i, a in enumerate(params) if a["type"].rstrip("?") == "Tensor"]
    lists = [i for i, a in enumerate(params) if a["type"].startswith("Tensor") and a["type"].endswith("[]")]

    def value(i):
        return _get(args, kwargs, where[i]) if i in where else None
    if rule in ("cat", "stack"):
        seq = value(lists[0]) if lists else None
        if not seq:
            return None
        if rule == "stack":
            return None if _ndim(seq[0]) is None else _ndim(seq[0]) + 1
        ranks = [_ndim(t) for t in seq if not (_ndim(t) == 1 and t.shape[0] == 0)]
        return ranks[0] if ranks else None
    if rule == "bcast":
        ranks = [_ndim(value(i)) for i in tensors]
        return None if None in ranks or not ranks else max(ranks)
    first = next((i for i in tensors if params[i]["name"] == "self"), tensors[0] if tensors else None)
    r = _ndim(value(first)) if first is not None else None
    if r is None or (rule == "nonscalar" and r == 0) or (rule == "matrix" and r < 2) or \
            (rule == "nonempty" and 0 in value(first).shape):
        return None
    return r + 1 if rule == "self+1" else r


def _dim_variants(params, names, where, args, kwargs):
    for i, a in enumerate(params):
        if not a.get("dim_of"):
            continue
        rank = _rank(a["dim_of"], params, where, args, kwargs)
        if rank is None:
            continue
        loc = where.get(i, ("kw", names[i]))
        n = max(rank, 1)
        # int[1] takes an int too; keep the form the sample used (movedim(x, [0], 1) is a TypeError)
        is_list = a["type"].rstrip("?") != "int" and (i not in where or
                                                      isinstance(_get(args, kwargs, where[i]), (list, tuple)))
        # A list keeps its length (matrix_norm wants two dims): its first entry goes out of range.
        rest = tuple(_get(args, kwargs, where[i])[1:]) if is_list and i in where else ()
        bad = [(n,) + rest, (-n - 1,) + rest] if is_list else [n, -n - 1]
        if is_list and a.get("dim_unique") and rank >= 1:
            bad.append((0, -rank))
        for v in bad:
            yield f"{names[i]}={v}", _put(args, kwargs, loc, v)


def _size_variants(params, names, where, args, kwargs):
    for i, a in enumerate(params):
        if a["name"] not in _SIZE_NAMES or i not in where:
            continue
        size = _get(args, kwargs, where[i])
        # Zeros become ones: torch accepts as_strided((0, -2), ...) and expand((0, -2)) (nothing to view).
        if isinstance(size, (list, tuple)) and all(isinstance(s, int) for s in size):
            v = tuple(s if s > 0 else 1 for s in size[:-1]) + (-2,)
            yield f"{names[i]}={v}", _put(args, kwargs, where[i], v)


def _index_variants(params, names, where, args, kwargs):
    for i, a in enumerate(params):
        if a["name"] not in _INDEX_NAMES or i not in where:
            continue
        idx = _get(args, kwargs, where[i])
        # An empty index is left out: torch checks no dtype when there is nothing to gather.
        if isinstance(idx, Arr) and idx.dtype in ("int64", "int32") and idx.values.size:
            v = Arr(idx.buf.astype(np.float32), idx.layout, "float32")
            yield f"{names[i]} as float32", _put(args, kwargs, where[i], v)


def _run_derived(name, derive, want, examples=_EXAMPLES):
    sample = SAMPLES[name]
    tried = []

    @settings(**dict(_SETTINGS, max_examples=examples))
    @given(cases(sample))
    def run(case):
        _, args, kwargs = case
        bound = _bind(name, args, kwargs, want)
        if bound is None:
            return
        ref_ok = call_both(name, args, kwargs)[3] is None
        if not ref_ok:
            return  # the drawn call is already invalid (test_parity_ops compares those)
        for what, (a2, k2) in derive(*bound, args, kwargs):
            ours, ours_exc, _, ref_exc = call_both(name, a2, k2)
            tried.append(what)
            assert ref_exc is not None, f"{name}({what}): torch accepts the derived call (marks wrong?)"
            expected = builtin_error_type(ref_exc)
            assert isinstance(ours_exc, expected), \
                f"{name}({what}): torch raised {expected.__name__}({ref_exc}); mstorch: {ours_exc!r} / {ours!r}"
    run()
    return tried


@pytest.mark.parametrize("name", DIM_ENTRIES)
def test_dim_out_of_range_raises_like_torch(name):
    assert _run_derived(name, _dim_variants, _is_dim), f"{name}: no drawn sample let a dim argument be derived"


@pytest.mark.parametrize("name", SIZE_ENTRIES)
def test_negative_size_raises_like_torch(name):
    assert _run_derived(name, _size_variants, _is_size, 3 * _EXAMPLES), f"{name}: no drawn sample let a size be derived"


@pytest.mark.parametrize("name", INDEX_ENTRIES)
def test_float_index_raises_like_torch(name):
    assert _run_derived(name, _index_variants, _is_index, 3 * _EXAMPLES), f"{name}: no drawn sample let an index be derived"


def test_every_dim_parameter_is_marked():
    """A parameter named like a dimension and typed int is marked, unless dim_args.RULES
    exempts it with its reason."""
    from ops_table.dim_args import DIM_NAMES, RULES
    for name, e in TABLE.items():
        for ov in e["overloads"]:
            for a in ov["args"]:
                if a["name"] in DIM_NAMES and a["type"].rstrip("?").startswith("int"):
                    assert a.get("dim_of") or RULES.get((name, a["name"]), "") is None, (name, a["name"])


def _geometry_calls(lib):
    x = lib.arange(12.0)
    return {
        "as_strided offset past the end": lambda: x.as_strided((3, 4), (4, 1), 100).clone(),
        "as_strided huge stride": lambda: x.as_strided((2, 2), (2 ** 40, 1)).sum(),
        "as_strided overflowing stride": lambda: x.as_strided((2, 2), (2 ** 62, 1)),
        "as_strided negative offset": lambda: x.as_strided((2,), (1,), -1),
        "as_strided negative size": lambda: x.as_strided((-1,), (1,)),
        "as_strided of a view past the end": lambda: x[2:].as_strided((12,), (1,)),
        "as_strided_ past the end": lambda: x.clone().as_strided_((3, 4), (4, 1), 100),
        "as_strided empty far offset": lambda: x.as_strided((0, 2), (100, 1), 1000).shape,
        "set_ past any memory": lambda: lib.empty(0).set_(x.untyped_storage(), 0, (2, 2), (2 ** 60, 1)),
        "set_ negative offset": lambda: lib.empty(0).set_(x.untyped_storage(), -1, (2,)),
        "set_ other dtype": lambda: lib.empty(0, dtype=lib.float64).set_(x),
        "set_ within": lambda: lib.empty(0).set_(x.untyped_storage(), 4, (2, 2), (1, 2)).tolist(),
        "unfold negative size": lambda: x.unfold(0, -1, 1),
        "unfold zero step": lambda: x.unfold(0, 1, 0),
        "narrow negative length": lambda: x.narrow(0, 2, -1),
        "narrow start out of range": lambda: x.narrow(0, -13, 1),
        "narrow 0-d": lambda: lib.tensor(1.0).narrow(0, 0, 1),
        "expand negative": lambda: x.expand(-2),
        "view negative": lambda: x.view(-2, 6),
        "view as wider dtype": lambda: x[:3].view(lib.float64),
        "empty_strided negative size": lambda: lib.empty_strided((2, -1), (1, 1)),
        "roll shifts and dims": lambda: x.reshape(3, 4).roll((1, 2), (0,)),
        "norm dim": lambda: lib.norm(x.reshape(3, 4), dim=4),
        "interpolate size -1": lambda: lib.nn.functional.interpolate(x.reshape(1, 1, 3, 4), size=-1),
        "interpolate scale 0": lambda: lib.nn.functional.interpolate(x.reshape(1, 1, 3, 4), scale_factor=0.0),
    }


@pytest.mark.parametrize("what", sorted(_geometry_calls(np)))
def test_view_geometry_is_checked_like_torch(what):
    """Explicit geometries (as_strided, set_, unfold, narrow...) out of their storage raise
    PyTorch's error type; none reads memory outside the storage."""
    import torch
    import mstorch
    results = []
    for lib in (torch, mstorch.torch):
        try:
            results.append(("ok", _geometry_calls(lib)[what]()))
        except Exception as e:  # noqa: BLE001 - the error type is compared
            results.append(("raised", builtin_error_type(e)))
    (ref_kind, ref), (ours_kind, ours) = results
    assert ref_kind == ours_kind, f"torch {ref_kind} {ref!r}; mstorch {ours_kind} {ours!r}"
    if ref_kind == "raised":
        assert ours is ref, f"torch raised {ref.__name__}, mstorch {ours.__name__}"
    else:
        assert list(ours) == list(ref)
