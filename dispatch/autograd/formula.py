"""Backward formulas from the table: derivatives.yaml-style expressions compiled once."""

_compiled = {}


def compile_formulas(op_name, backward):
    """{arg name: code object}; expressions see the op's argument names, `grad`,
    `grads`, `result`, `results`, `needs` (which inputs need a grad), helpers and the op namespace."""
    code = _compiled.get(op_name)
    if code is None:
        code = {name: compile(expr, f"<backward of {op_name} wrt {name}>", "eval")
                for name, expr in backward.items()}
        _compiled[op_name] = code
    return code


_namespace = None


def namespace():
    global _namespace
    if _namespace is None:
        from dispatch.opsns import T
        from dispatch.autograd.fhelpers import collect
        ns = {"T": T}
        ns.update(collect())
        _namespace = ns
    return _namespace
