"""NumPy (host backend) kernels for the aten ops behind torch.nn.functional glue."""
import numpy as np


def embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse):
    if sparse:
        raise NotImplementedError("mstorch: embedding(sparse=True) (sparse gradients) is not supported; "
                                  "use sparse=False")
    if indices.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.dtype} instead (while checking arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return weight[indices]
