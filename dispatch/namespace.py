"""Which torch-level names the generated ops table serves, per torch module.

The proxy modules in `mstorch` ask here first, then fall back to mstorch's
Python implementations.  Nothing here imports MindSpore until an op is used.
"""
from ops_table import generated as _table

_BY_NAMESPACE = {}
for _name, _entry in _table.OPS.items():
    for _ns in _entry.get("namespaces", ()):
        _BY_NAMESPACE.setdefault(_ns, {})[_entry.get("exported_as", {}).get(_ns, _name)] = _name


def has_namespace(module_name):
    return module_name in _BY_NAMESPACE


def names(module_name):
    return sorted(_BY_NAMESPACE.get(module_name, ()))


def lookup(module_name, attr):
    """The callable for `module_name.attr` (e.g. "torch", "add"); LookupError if the table has none."""
    op_name = _BY_NAMESPACE.get(module_name, {}).get(attr)
    if op_name is None:
        raise LookupError(f"{module_name}.{attr}")
    from dispatch.dispatcher import function_for
    return function_for(op_name, module_name)
