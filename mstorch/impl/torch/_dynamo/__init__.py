"""torch._dynamo: the parts libraries touch in eager code. mstorch has no frame compiler:
`is_compiling()` is False, `disable`/`allow_in_graph` return what they are given, and
the mark_* helpers record their marks on the tensor as PyTorch does outside compilation."""
from mstorch.impl.torch.compiler import allow_in_graph, assume_constant_result, disable, list_backends, reset  # noqa: F401,E501
from mstorch.impl.torch._dynamo.eval_frame import OptimizedModule, is_dynamo_supported  # noqa: F401


def is_compiling():
    return False


def _tensor(t, who):
    from mstorch.impl.torch._ns import torch
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{who} expects a tensor but received {type(t)}")
    return t


def mark_static_address(t, guard=True):
    _tensor(t, "mark_static_address")._dynamo_static_input_type = "guarded" if guard else "unguarded"


def _indices(index, ndim):
    if isinstance(index, int):
        index = [index]
    return [i + ndim if i < 0 else i for i in index]


def mark_dynamic(t, index, *, min=None, max=None, specialize_on=None):
    _tensor(t, "mark_dynamic")
    dims = _indices(index, t.dim())
    if not hasattr(t, "_dynamo_dynamic_indices"):
        t._dynamo_dynamic_indices = set()
    t._dynamo_dynamic_indices.update(dims)


def maybe_mark_dynamic(t, index):
    _tensor(t, "maybe_mark_dynamic")
    if not hasattr(t, "_dynamo_weak_dynamic_indices"):
        t._dynamo_weak_dynamic_indices = set()
    t._dynamo_weak_dynamic_indices.update(_indices(index, t.dim()))


def mark_static(t, index=None):
    _tensor(t, "mark_static")
    if index is None:
        t._dynamo_marked_static = True
        return
    if not hasattr(t, "_dynamo_static_indices"):
        t._dynamo_static_indices = set()
    t._dynamo_static_indices.update(_indices(index, t.dim()))
