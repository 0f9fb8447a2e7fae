"""PyTorch 2.13's public keyword names, read from real torch (the oracle of test_signatures.py).

Python-level torch functions answer `inspect.signature`. Builtins do not; their keyword
names come from the signatures PyTorch's Python argument parser is generated from:
the stub files shipped in the wheel (`torch/_C/_VariableFunctions.pyi` for `torch.*`,
`_nn.pyi` for `torch._C._nn`, `__init__.pyi`'s `TensorBase` for methods), and where the
wheel ships no stub (`torch._C._linalg`, `_special`, `_fft`) the ATen schemas with the
parser's rule (a Tensor `self` is spelt `input`). The parser also takes NumPy's names for
four arguments (below); test_signatures.py checks every name found here by calling torch.
"""
import ast
import functools
import inspect
import pathlib

import torch

# The argument parser's NumPy-compatible spellings (probed: torch.sum(x, axis=0),
# torch.abs(a=x), x.add(x2=y) all work in 2.13).
NUMPY_ALIASES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"), "other": ("x2",)}

_STUBS = pathlib.Path(torch.__file__).parent / "_C"


@functools.lru_cache(maxsize=None)
def _stub_functions(stub, cls=None):
    """{name: [list of parameter-name lists, one per overload]} from a .pyi file."""
    tree = ast.parse((_STUBS / stub).read_text())
    body = tree.body
    if cls is not None:
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    out = {}
    for node in body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            params = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
            if cls is not None and params[:1] == ["self"]:
                params = params[1:]
            if a.vararg is not None:
                params.append("*" + a.vararg.arg)
            out.setdefault(node.name, []).append(params)
    return out


def _schema_names(aten_name):
    overloads = []
    for s in torch._C._jit_get_schemas_for_operator("aten::" + aten_name):
        names = []
        for arg in s.arguments:
            if arg.name == "self" and isinstance(arg.type, torch._C.TensorType):
                names.append("input")
            else:
                names.append(arg.name)
        overloads.append(names)
    return overloads


def _with_aliases(names):
    out = set(names)
    for n, aliases in NUMPY_ALIASES.items():
        if n in names:
            out.update(aliases)
    return out


def builtin_overloads(obj, method=False):
    """The parameter-name lists of a builtin torch callable, one per overload; None if unknown."""
    name = obj.__name__
    qual = getattr(obj, "__qualname__", "")
    module = getattr(obj, "__module__", None)
    if method:
        return _stub_functions("__init__.pyi", "TensorBase").get(name)
    if qual.startswith("_VariableFunctionsClass."):
        return _stub_functions("_VariableFunctions.pyi").get(name)
    if module == "torch._C._nn":
        return _stub_functions("_nn.pyi").get(name)
    if module in ("torch._C._linalg", "torch._C._special", "torch._C._fft"):
        return _schema_names(name) or None
    return None


def _pybind_overloads(obj):
    """Functions torch._C defines with pybind11 (is_grad_enabled...): its stub, no NumPy spellings."""
    if getattr(obj, "__self__", None) is torch._C:
        return _stub_functions("__init__.pyi").get(obj.__name__)
    return None


# Bindings written by hand in PyTorch (not generated from schemas) whose stub disagrees
# with what the binding accepts. Each line is checked against real torch by
# test_signatures.test_stub_corrections_hold: {name: (names the binding adds, names it lacks)}.
_CASTS = ("bfloat16", "bool", "byte", "char", "double", "float", "half", "int", "long", "short", "cdouble",
          "cfloat")
STUB_CORRECTIONS = {
    "torch.numel": ({"input"}, {"self"}),
    "torch.nn.functional.one_hot": ({"input"}, {"tensor"}),
    "Tensor.requires_grad_": ({"requires_grad"}, {"mode"}),
    **{f"Tensor.{m}": (set(), {"out"}) for m in ("add", "sub", "mul", "floor_divide", "true_divide")},
    **{f"Tensor.{m}": ({"memory_format"}, set()) for m in _CASTS},
    **{f"torch.fft.{f}": ({"requires_grad"}, set()) for f in ("fftfreq", "rfftfreq")},
}


def keywords(obj, method=False, qualname=None):
    """(names accepted as keywords, whether any keyword is accepted (**kwargs)), or None
    when PyTorch's signature cannot be read. `qualname` ("torch.numel", "Tensor.add")
    applies STUB_CORRECTIONS."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        sig = None
    if sig is not None:
        params = list(sig.parameters.values())
        if method and params and params[0].name == "self":
            params = params[1:]
        names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        return names, any(p.kind is p.VAR_KEYWORD for p in params)
    overloads = builtin_overloads(obj, method)
    if overloads is None:
        overloads = [[]] if qualname in STUB_CORRECTIONS else None
    if overloads is None:
        pybind = _pybind_overloads(obj)
        if pybind is None:
            return None
        return {p.lstrip("*") for params in pybind for p in params}, False
    names = set()
    for params in overloads:
        names |= {p for p in params if not p.startswith("*")}
        # A spread int list (`*size`) is also accepted by its name: torch.zeros(size=(2,)).
        names |= {p[1:] for p in params if p.startswith("*")}
    add, drop = STUB_CORRECTIONS.get(qualname, ((), ()))
    return _with_aliases((names - set(drop)) | set(add)), False
