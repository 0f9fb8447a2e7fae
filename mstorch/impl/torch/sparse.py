"""torch.sparse: products and sums of sparse COO tensors (dispatch/sparse.py holds the type)."""
from dispatch.sparse import sparse_mm as mm, sparse_sum as sum  # noqa: A001  (PyTorch's names)

__all__ = ["mm", "sum"]
