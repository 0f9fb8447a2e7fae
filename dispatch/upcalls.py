"""The calls a lower layer of dispatch/ makes up into a higher one.

dispatch/ is layers that import only downward (core -> arrays -> dispatcher -> autograd ->
api; tests/architecture/test_dispatch_layers.py holds the map). Where a lower layer must
still reach up - the Tensor class prints itself with dispatch/formatting.py, the dispatcher
records autograd history - it calls a slot here, which the module that defines the function
fills once, when it is imported (`provide`). `import dispatch` imports every such module
before it returns, so the slots are filled before the first op runs.
"""

_SLOTS = {
    # filled by (module): called from
    "reduce_tensor_shared": "dispatch.pickling",          # tensor (multiprocessing's pickler)
    "reduce_tensor": "dispatch.pickling",                 # tensor (__reduce_ex__)
    "deepcopy_tensor": "dispatch.pickling",               # tensor (__deepcopy__)
    "legacy_tensor_new": "dispatch.legacy",               # tensor (Tensor(...))
    "dense_to_sparse": "dispatch.sparse",                 # tensor (to_sparse)
    "run_sparse_op": "dispatch.sparse",                   # runners (sparse operands)
    "function_for": "dispatch.dispatcher",                # tensor (real, imag)
    "of_storage": "dispatch.untyped_storage",             # tensor (untyped_storage)
    "tensor_typed_storage": "dispatch.typed_storage",     # tensor (storage)
    "share_storages": "dispatch.shared_memory",           # storage (share_memory_)
    "share_tensors": "dispatch.shared_memory",            # tensor (share_memory_)
    "host_to_tensor": "dispatch.pyapi",                   # tensor (out= resizing)
    "to_mindspore": "dispatch.interop",                   # tensor (to_mindspore)
    "tensor_repr": "dispatch.formatting",                 # tensor (__repr__)
    "no_item": "dispatch.meta",                           # tensor (item of a meta tensor)
    "to_meta": "dispatch.meta",                           # devices (placing on 'meta')
    "autograd_record": "dispatch.autograd.record",        # runners, meta
    "inplace_commit": "dispatch.autograd.record",         # runners
    "meta_inplace_commit": "dispatch.autograd.record",    # meta
    "T": "dispatch.opsns",                                # runners (composites)
}


def _unfilled(name):
    def call(*args, **kwargs):
        raise RuntimeError(f"dispatch: '{name}' is called before {_SLOTS[name]} was imported (import dispatch "
                           "first)")
    return call


for _name in _SLOTS:
    globals()[_name] = _unfilled(_name)


filled = set()


def provide(**functions):
    """Fill slots (each by the module the table above names, when it is imported)."""
    for name, fn in functions.items():
        if name not in _SLOTS:
            raise KeyError(f"dispatch.upcalls has no slot '{name}'")
        globals()[name] = fn
        filled.add(name)
