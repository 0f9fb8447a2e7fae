"""Backward formulas from the table: derivatives.yaml-style expressions compiled once."""
import ast

_compiled = {}
_meta_only = {}

# Uses of a saved tensor that read only its metadata.  A formula that touches an
# argument only this way keeps its shape/dtype, not its data (PyTorch saves `self_sym_sizes`
# for sum/expand...), so the graph holds no buffer and can be walked again after release.
_META_ATTRS = {"shape", "dtype", "ndim", "device", "is_complex", "is_floating_point"}
_META_METHODS = {"dim", "size", "numel", "is_complex", "is_floating_point", "stride", "storage_offset"}
# helper name -> positions of its arguments it reads only metadata from
_META_HELPERS = {"reduce_grad": (1,), "numel_of": (0,), "view_scatter": (1,), "as_strided_backward": (1,)}


def compile_formulas(op_name, backward):
    """{arg name: code object}; expressions see the op's argument names, `grad`,
    `grads`, `result`, `results`, `needs` (which inputs need a grad), helpers and the op namespace."""
    code = _compiled.get(op_name)
    if code is None:
        code = {name: compile(expr, f"<backward of {op_name} wrt {name}>", "eval")
                for name, expr in backward.items()}
        _compiled[op_name] = code
    return code


def meta_only(op_name, backward):
    """Names of the op's arguments whose every use in its formulas is metadata-only."""
    got = _meta_only.get(op_name)
    if got is None:
        got = _meta_only[op_name] = _analyse(backward) if isinstance(backward, dict) else frozenset()
    return got


def _analyse(backward):
    used, data = set(), set()
    for expr in backward.values():
        tree = ast.parse(expr, mode="eval")
        meta_nodes = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.attr in _META_ATTRS or node.attr in _META_METHODS:
                    meta_nodes.add(id(node.value))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _META_HELPERS:
                for pos in _META_HELPERS[node.func.id]:
                    if pos < len(node.args) and isinstance(node.args[pos], ast.Name):
                        meta_nodes.add(id(node.args[pos]))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                used.add(node.id)
                if id(node) not in meta_nodes:
                    data.add(node.id)
        # A name a lambda or comprehension binds may mean something else there: such
        # names are never metadata-only (view formulas' `lambda z: ...` bind none of the
        # op's arguments, so their input's geometry alone is kept, as PyTorch does).
        for n in ast.walk(tree):
            if isinstance(n, ast.Lambda):
                data.update(a.arg for a in n.args.args + n.args.kwonlyargs)
            elif isinstance(n, ast.comprehension):
                data.update(t.id for t in ast.walk(n.target) if isinstance(t, ast.Name))
    return frozenset(used - data)


_namespaces = {}


def namespace(op_name=None):
    """The names an op's formulas see besides their own: `T` (the op namespace), the
    helpers of ops_table/common/backward.py and those of the op's family's backward.py.
    Without an op (or for one outside the table), every family's helpers."""
    family = None
    if op_name is not None:
        from ops_table.generated import OPS
        entry = OPS.get(op_name)
        family = entry["family"] if entry else None
    ns = _namespaces.get(family)
    if ns is None:
        ns = _namespaces[family] = _build_namespace(family)
    return ns


def _build_namespace(family):
    import importlib
    from dispatch.opsns import T
    if family is None:
        from ops_table.generate import families
        everything = families()
    ns = {"T": T}
    for fam in ["common"] + ([family] if family else everything):
        try:
            module = importlib.import_module(f"ops_table.{fam}.backward")
        except ModuleNotFoundError as e:
            if e.name != f"ops_table.{fam}.backward":
                raise
            continue
        ns.update(backward_helpers(module))
    return ns


def backward_helpers(module):
    """A backward module's public functions (not the ones it imports)."""
    return {k: v for k, v in vars(module).items()
            if not k.startswith("_") and callable(v) and getattr(v, "__module__", None) == module.__name__}


def _hand_down():
    """ops_table never imports dispatch: give it what its helpers need from here (the op
    namespace, direct views, grad mode, the scalar dtype rule; function.py gives the
    autograd.Function base)."""
    from dispatch import direct_views, grad_mode
    from dispatch.dtypes import scalar_dtype
    from dispatch.opsns import T
    from ops_table.common import provided
    provided.give(T=T, views=direct_views, grad_mode=grad_mode, scalar_dtype=scalar_dtype)


_hand_down()
