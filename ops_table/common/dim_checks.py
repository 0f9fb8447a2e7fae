"""Dimension checks with PyTorch's IndexError messages, shared by reductions and sorting."""


def dim_range(self, d):
    n = self.dim()
    lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
    if not lo <= d <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
    return d % max(n, 1)


def nonempty_dim(name, self, d):
    w = dim_range(self, d)
    if self.dim() and self.shape[w] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {w} to have non-zero size.")
