"""MindSpore kernels for the aten ops behind torch.nn.functional glue (torch.embedding)."""
from ops_table.common._ms import prim


def embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse):
    """aten::embedding: rows of `weight` picked by `indices` (padding_idx only shapes the gradient)."""
    if sparse:
        raise NotImplementedError("mstorch: embedding(sparse=True) (sparse gradients) is not supported; "
                                  "use sparse=False")
    if str(indices.dtype) not in ("Int64", "Int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.dtype} instead (while checking arguments for embedding)")
    if len(weight.shape) != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = indices.asnumpy()
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return prim("Gather")(weight, indices, 0)
