"""torch._dynamo._trace_wrapped_higher_order_op: transformers imports TransformGetItemToIndex
at module level (for its vmap mask path)."""
from mstorch.impl.torch.overrides import TorchFunctionMode


class TransformGetItemToIndex(TorchFunctionMode):
    """Indexing by 0-d tensors kept as tensor indices inside a TorchFunctionMode region.

    PyTorch turns `x[i]` with tensor indices into `aten.index(x, [i])` so that tracers keep
    `i` symbolic; run eagerly, that is the value `x[i]` computes, so every call runs as is."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))
