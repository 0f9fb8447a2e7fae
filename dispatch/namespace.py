"""Which torch-level names the generated ops table serves, per torch module.

The proxy modules in `mstorch` ask here first, then fall back to mstorch's
Python implementations.  Nothing here imports MindSpore until an op is used.
"""
from ops_table import generated as _table

_BY_NAMESPACE = {}
for _name, _entry in _table.OPS.items():
    for _ns in _entry["namespaces"]:
        if "function" in _entry["variants"] or "out" in _entry["variants"]:
            for _alias in [_name] + list(_entry["aliases"]):
                _BY_NAMESPACE.setdefault(_ns, {})[_alias] = _name


def has_namespace(module_name):
    return module_name in _BY_NAMESPACE


def names(module_name):
    return sorted(_BY_NAMESPACE.get(module_name, ()))


def lookup(module_name, attr):
    """The callable for `module_name.attr` (e.g. "torch", "add"); LookupError if the table has none."""
    op_name = _BY_NAMESPACE.get(module_name, {}).get(attr)
    if op_name is None:
        raise LookupError(f"{module_name}.{attr}")
    f = _public.get((module_name, attr))
    if f is None:
        import dispatch  # noqa: F401  (installs Tensor methods before any op runs)
        from dispatch.dispatcher import function_for
        from dispatch.torch_function import public
        # One public callable per name, behind the __torch_function__ protocol.
        f = _public[(module_name, attr)] = public(function_for(op_name, module_name), attr, module_name)
    return f


_public = {}


def namespaces():
    """Every module name the table serves ops in (e.g. "torch", "torch.nn.functional")."""
    return sorted(_BY_NAMESPACE)
