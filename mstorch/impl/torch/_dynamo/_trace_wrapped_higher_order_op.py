"""torch._dynamo._trace_wrapped_higher_order_op: transformers imports TransformGetItemToIndex
at module level (for its vmap mask path).  It is a TorchFunctionMode, which mstorch's
dispatcher does not consult, so entering it raises naming itself (see torch.overrides)."""
from mstorch.impl.torch.overrides import TorchFunctionMode


class TransformGetItemToIndex(TorchFunctionMode):
    """Indexing by 0-d tensors kept as tensor indices inside a TorchFunctionMode region."""
