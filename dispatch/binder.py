"""Argument binding: the torch signature of each op, as a real Python function.

For every (op, variant) the binder compiles a small Python function whose signature
is the schema's (positional, defaults, keyword-only, `out=`), so Python itself does the
binding and raises its usual TypeErrors.  Converters then normalise values by schema
type (an int where `int[2]` is expected, a 0-d tensor where an int is expected...).
"""
import numbers

from dispatch import dtypes as _dt
from dispatch.tensor import Tensor
from dispatch import layout

_REQUIRED = "<required>"


def _is_int(v):
    return type(v) is int or isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _to_int(v):
    if type(v) is int:  # the common case, before the ABC check of numbers.Integral
        return v
    if _is_int(v):
        return int(v)
    if isinstance(v, Tensor) and v.numel() == 1 and not v._dtype.is_floating_point:
        return int(v.item())
    raise TypeError


def _int_list(v, n):
    if _is_int(v) or (isinstance(v, Tensor) and v.dim() == 0):
        return (_to_int(v),) * (n or 1)
    if isinstance(v, (list, tuple)):
        return tuple(_to_int(x) for x in v)
    if isinstance(v, Tensor) and v.dim() == 1:
        return tuple(int(x) for x in v.tolist())
    raise TypeError


def _scalar(v):
    if isinstance(v, (bool, int, float, complex)):
        return v
    if isinstance(v, numbers.Number):
        return v.item() if hasattr(v, "item") else complex(v) if isinstance(v, complex) else float(v)
    if isinstance(v, Tensor) and v.numel() == 1:
        return v.item()
    raise TypeError


def _float(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, Tensor) and v.numel() == 1:
        return float(v.item())
    raise TypeError


def _bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, Tensor) and v.numel() == 1 and v._dtype is _dt.bool_:
        return bool(v.item())
    if _is_int(v) and v in (0, 1):
        return bool(v)
    raise TypeError


def _float_list(v, n):
    if isinstance(v, (int, float)):
        return (float(v),) * (n or 1)
    if isinstance(v, (list, tuple)):
        return tuple(float(x) for x in v)
    raise TypeError


def _dtype(v):
    if isinstance(v, _dt.dtype):
        return v
    raise TypeError


def converter(typ):
    """A function normalising a value of schema type `typ`; None when values pass as they are."""
    optional = typ.endswith("?")
    base = typ[:-1] if optional else typ
    fn, expected = _converter(base)
    if fn is None:
        return None, expected
    if optional:
        return (lambda v, _f=fn: None if v is None else _f(v)), expected
    return fn, expected


def _converter(base):
    if base in ("Tensor", "Tensor(a)", "Tensor(a!)", "Tensor[]", "Tensor?[]", "Any", "Generator", "Device",
                "Layout", "MemoryFormat", "str", "Dimname", "Dimname[]"):
        return None, base
    if base in ("int", "SymInt"):
        return _to_int, "int"
    if base in ("float",):
        return _float, "float"
    if base == "bool":
        return _bool, "bool"
    if base == "Scalar":
        return _scalar, "Number"
    if base == "ScalarType":
        return _dtype, "torch.dtype"
    if base.startswith(("int[", "SymInt[")):
        n = base[base.index("[") + 1:-1]
        return (lambda v, _n=int(n) if n else None: _int_list(v, _n)), "tuple of ints"
    if base.startswith("float["):
        n = base[base.index("[") + 1:-1]
        return (lambda v, _n=int(n) if n else None: _float_list(v, _n)), "tuple of floats"
    if base == "bool[]":
        return (lambda v: tuple(bool(x) for x in v)), "tuple of bools"
    if base == "Scalar[]":
        return (lambda v: tuple(_scalar(x) for x in v)), "tuple of numbers"
    raise ValueError(f"unknown schema type {base!r}")


def _is_varargs_param(args, i):
    """PyTorch lets the first int-list parameter be spread: zeros(2, 3), x.view(2, 3)."""
    a = args[i]
    if a.get("varargs"):
        return True
    first = next((k for k, b in enumerate(args) if b["name"] != "self"), None)
    others = [b for k, b in enumerate(args) if k != i and b["name"] != "self" and not b["kwonly"]]
    return i == first and not a["kwonly"] and a["type"] in ("int[]", "SymInt[]") and not others


# PyTorch's argument parser also takes NumPy's spelling of four argument names
# (torch.sum(x, axis=0, keepdims=True), x.add(x2=y), torch.abs(a=x)).
NUMPY_SPELLINGS = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"), "other": ("x2",)}
_PY_KEYWORDS = ("from", "lambda", "is", "in", "def", "class")


class _Required:
    """Default of a required argument that may also arrive under a NumPy spelling."""
    __slots__ = ()

    def __repr__(self):
        return "<required>"


REQUIRED = _Required()


def python_names(args, variant, legacy_linalg=False):
    """The Python names of an op's arguments: the schema's, with PyTorch's binding rules.

    Functions spell a Tensor `self` as `input` (methods bind it positionally). The
    `torch.*` spelling of a linalg op (torch.det, torch.slogdet...) is ATen's older op,
    whose matrix argument is `self`, so `input`, where torch.linalg's says `A`."""
    names = []
    for i, a in enumerate(args):
        n = a["name"]
        if variant in ("function", "out") and (
                (n == "self" and a["type"] == "Tensor")
                or (legacy_linalg and i == 0 and n == "A")):
            n = "input"
        if n in _PY_KEYWORDS:
            n = n + "_"
        names.append(n)
    return names


def make_signature_function(fname, args, variant, body_name, namespace, legacy_linalg=False):
    """Compile `def fname(<torch signature>): return body_name((a, b, ...), out)`.

    Returns (function, its parameter names in order, the keyword names it accepts).
    Where the signature has an argument with a NumPy spelling, the function also takes
    `**_kw`; a call that uses none of them pays one dict test and an identity test per
    required positional argument."""
    names = python_names(args, variant, legacy_linalg)
    # A method is bound to the argument the schema calls `self`, wherever the schema puts
    # it (where(Tensor condition, Tensor self, Tensor other) is x.where(condition, other)).
    bound = None
    if variant in ("method", "inplace") and names:
        bound = names.index("self") if "self" in names else 0
    order = list(range(len(args))) if bound is None else [bound] + [i for i in range(len(args)) if i != bound]
    params, pre = [], ""
    kw_started = False
    spelled = [n for i, n in enumerate(names) if n in NUMPY_SPELLINGS and i != bound]
    required_positional = [names[i] for i in order if args[i]["default"] == _REQUIRED and not args[i]["kwonly"]]
    # Positional arguments that may arrive under another name get a marker default
    # (all of them: a default forces defaults on every later positional argument).
    marked = set(required_positional) if set(spelled) & set(required_positional) else set()
    if bound is not None:
        marked.discard(names[bound])
    for i in order:
        a, n = args[i], names[i]
        if _is_varargs_param(args, i):
            params.append(f"*{n}")
            kw_started = True
            pre = (f"    if not {n} and '{n}' in _kw: {n} = _kw.pop('{n}')\n"
                   f"    elif len({n}) == 1 and not isinstance({n}[0], (int, _Tensor)): {n} = {n}[0]\n"
                   f"    if _kw: raise TypeError(f\"{fname}() got an unexpected keyword argument '{{next(iter(_kw))}}'\")\n")
            continue
        if a["kwonly"] and not kw_started:
            params.append("*")
            kw_started = True
        if n in marked:
            params.append(f"{n}=_REQUIRED")
        elif a["default"] == _REQUIRED:
            params.append(n)
        else:
            params.append(f"{n}={_pylit(a['default'])}")
    all_names = list(names)
    if variant == "out":
        if not kw_started:
            params.append("*")
        params.append("out=None")
        all_names.append("out")
    if pre or spelled:
        params.append("**_kw")
    if spelled:
        test = " or ".join(["_kw"] + [f"{n} is _REQUIRED" for n in all_names if n in marked])
        unpack = ", ".join(all_names) + ("," if len(all_names) == 1 else "")
        # After a spread int list has taken its own keyword, what is left of _kw is NumPy spellings.
        pre = "".join(pre.splitlines(keepends=True)[:2]) + (f"    if {test}:\n"
                                                            f"        {unpack} = _respell(_spec, _kw, ({unpack}))\n")
    tup = f"({', '.join(names)}{',' if len(names) == 1 else ''})"
    dimspec = dim_spec(args)
    if dimspec is not None:
        # Every dimension argument is checked against the input's rank before the op runs.
        pre += f"    _check_dims(_dimspec, {tup})\n"
    call = f"return {body_name}({tup}, out)" if variant == "out" else f"return {body_name}({tup})"
    src = f"def {fname}({', '.join(params)}):\n{pre}    {call}\n"
    scope = dict(namespace)
    scope["_Tensor"] = Tensor
    scope["_REQUIRED"] = REQUIRED
    scope["_respell"] = _respell
    scope["_check_dims"] = check_dims
    scope["_dimspec"] = dimspec
    exec(compile(src, f"<mstorch binder {fname}>", "exec"), scope)
    fn = scope[fname]
    keywords = {n for i, n in enumerate(names) if i != bound}
    if variant == "out":
        keywords.add("out")
    if spelled:
        scope["_spec"] = _Spelling(fname, fn, all_names, marked, spelled)
        keywords.update(alias for n in spelled for alias in NUMPY_SPELLINGS[n])
    return fn, [names[i] for i in order], frozenset(keywords)


class DimSpec:
    """Where an overload's dimension arguments are and how each is checked (ops_table/dim_args.py)."""
    __slots__ = ("dims", "first", "tensors", "first_list")

    def __init__(self, dims, first, tensors, first_list):
        self.dims = dims              # (position, rule, unique) per dimension argument
        self.first = first            # position of the input whose rank the dims refer to
        self.tensors = tensors        # positions of every Tensor argument ("bcast")
        self.first_list = first_list  # position of the first Tensor[] argument ("cat", "stack")


def dim_spec(args):
    """The DimSpec of a schema's arguments, or None when it has no dimension argument."""
    dims = tuple((i, a["dim_of"], bool(a.get("dim_unique"))) for i, a in enumerate(args) if a.get("dim_of"))
    if not dims:
        return None
    tensors = tuple(i for i, a in enumerate(args) if a["type"].rstrip("?") == "Tensor")
    first = next((i for i in tensors if args[i]["name"] == "self"), tensors[0] if tensors else None)
    first_list = next((i for i, a in enumerate(args) if a["type"].rstrip("?").startswith("Tensor") and
                       a["type"].endswith("[]")), None)
    return DimSpec(dims, first, tensors, first_list)


def _rank_of(v):
    return v.dim() if isinstance(v, Tensor) else None


def _rank(rule, spec, values):
    """The number of dimensions a dim may name under `rule`; None when it cannot be known here
    (an argument that is no Tensor: the op's own argument checks answer)."""
    if rule in ("cat", "stack"):
        seq = values[spec.first_list] if spec.first_list is not None else None
        if not isinstance(seq, (list, tuple)) or not seq:
            return None
        if rule == "stack":
            r = _rank_of(seq[0])
            return None if r is None else r + 1
        # PyTorch's legacy cat: 1-D empty tensors are skipped when wrapping the dim.
        for t in seq:
            r = _rank_of(t)
            if r is None:
                return None
            if not (r == 1 and t.shape[0] == 0):
                return r
        return None
    if rule == "bcast":
        ranks = [_rank_of(values[i]) for i in spec.tensors]
        return None if None in ranks or not ranks else max(ranks)
    r = _rank_of(values[spec.first]) if spec.first is not None else None
    if r is None:
        return None
    if rule == "self+1":
        return r + 1
    if rule == "nonscalar" and r == 0 or rule == "matrix" and r < 2 or \
            rule == "nonempty" and values[spec.first].numel() == 0:
        return None
    return r


def _dim_int(v):
    return v if type(v) is int else (int(v) if _is_int(v) else None)


def wrap_dim(dim, rank):
    """`dim` wrapped into [0, rank) with PyTorch's IndexError; a 0-d tensor takes -1 and 0."""
    n = rank if rank > 0 else 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def check_dims(spec, values):
    for i, rule, unique in spec.dims:
        v = values[i]
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            items = [_dim_int(x) for x in v]
            if not items or None in items:
                continue  # not dims at all: the converter raises the TypeError
        else:
            d = _dim_int(v)
            if d is None:
                continue
            items = [d]
        rank = _rank(rule, spec, values)
        if rank is None:
            continue
        wrapped = [wrap_dim(d, rank) for d in items]
        if unique and len(set(wrapped)) != len(wrapped):
            seen = set()
            for d in wrapped:
                if d in seen:
                    raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
                seen.add(d)


class _Spelling:
    """What `_respell` needs to know about one compiled signature."""
    __slots__ = ("fname", "names", "defaults", "aliases")

    def __init__(self, fname, fn, names, marked, spelled):
        self.fname, self.names = fname, names
        kwdefaults = fn.__kwdefaults__ or {}
        positional = fn.__code__.co_varnames[:fn.__code__.co_argcount]
        pos_defaults = dict(zip(positional[len(positional) - len(fn.__defaults__ or ()):], fn.__defaults__ or ()))
        self.defaults = [REQUIRED if n in marked else kwdefaults.get(n, pos_defaults.get(n, REQUIRED)) for n in names]
        self.aliases = {alias: names.index(n) for n in spelled for alias in NUMPY_SPELLINGS[n]}


def _respell(spec, kw, values):
    """The slow path of a compiled signature: arguments given under NumPy's names, or missing."""
    values = list(values)
    for key, v in kw.items():
        i = spec.aliases.get(key)
        if i is None:
            raise TypeError(f"{spec.fname}() got an unexpected keyword argument '{key}'")
        if values[i] is not spec.defaults[i]:
            raise TypeError(f"{spec.fname}() got multiple values for argument '{spec.names[i]}'")
        values[i] = v
    missing = [n for n, v in zip(spec.names, values) if v is REQUIRED]
    if missing:
        raise TypeError(f"{spec.fname}() missing required argument '{missing[0]}'")
    return values


_MEMORY_FORMATS = ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d")


def _pylit(v):
    if isinstance(v, str) and v in {d.name for d in _dt.ALL}:
        return f"_dt_{v}"
    if isinstance(v, str) and v in _MEMORY_FORMATS:
        return f"_mf_{v}"
    return repr(v)


def dtype_defaults_namespace():
    ns = {f"_dt_{d.name}": d for d in _dt.ALL}
    ns.update({f"_mf_{n}": getattr(layout, n) for n in _MEMORY_FORMATS})
    return ns
