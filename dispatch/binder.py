"""Argument binding: the torch signature of each op, as a real Python function.

For every (op, variant) the binder compiles a small Python function whose signature
is the schema's (positional, defaults, keyword-only, `out=`), so Python itself does the
binding and raises its usual TypeErrors.  Converters then normalise values by schema
type (an int where `int[2]` is expected, a 0-d tensor where an int is expected...).
"""
import numbers

from dispatch import dtypes as _dt
from dispatch.tensor import Tensor

_REQUIRED = "<required>"


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _to_int(v):
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
    first = next((k for k, b in enumerate(args) if b["name"] != "self"), None)
    others = [b for k, b in enumerate(args) if k != i and b["name"] != "self" and not b["kwonly"]]
    return i == first and not a["kwonly"] and a["type"] in ("int[]", "SymInt[]") and not others


def make_signature_function(fname, args, variant, body_name, namespace):
    """Compile `def fname(<schema signature>): return body_name((a, b, ...), out)`."""
    params, names, pre = [], [], ""
    kw_started = False
    for i, a in enumerate(args):
        n = a["name"]
        if n == "self" and variant == "function":
            n = "input"
        if n in ("from", "lambda", "is", "in", "def", "class"):
            n = n + "_"
        names.append(n)
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
        if a["default"] == _REQUIRED:
            params.append(n)
        else:
            params.append(f"{n}={_pylit(a['default'])}")
    if variant == "out":
        if not kw_started:
            params.append("*")
        params.append("out=None")
    if pre:
        params.append("**_kw")
    tup = f"({', '.join(names)}{',' if len(names) == 1 else ''})"
    call = f"return {body_name}({tup}, out)" if variant == "out" else f"return {body_name}({tup})"
    src = f"def {fname}({', '.join(params)}):\n{pre}    {call}\n"
    scope = dict(namespace)
    scope["_Tensor"] = Tensor
    exec(compile(src, f"<mstorch binder {fname}>", "exec"), scope)
    return scope[fname], names


_MEMORY_FORMATS = ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d")


def _pylit(v):
    if isinstance(v, str) and v in {d.name for d in _dt.ALL}:
        return f"_dt_{v}"
    if isinstance(v, str) and v in _MEMORY_FORMATS:
        return f"_mf_{v}"
    return repr(v)


def dtype_defaults_namespace():
    from dispatch import layout
    ns = {f"_dt_{d.name}": d for d in _dt.ALL}
    ns.update({f"_mf_{n}": getattr(layout, n) for n in _MEMORY_FORMATS})
    return ns
