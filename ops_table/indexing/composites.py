"""Indexing ops that are compositions of other table ops."""


def take_along_dim(T, self, indices, dim=None):
    if dim is None:
        # PyTorch views (not reshapes) both, so non-viewable inputs fail as they do there.
        return T.gather(self.view(-1), 0, indices.view(-1))
    if self.dim() != indices.dim():
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {self.dim()} dimensions for input, and {indices.dim()} dimensions for indices")
    if indices.dtype is not T.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {indices.dtype}")
    n = max(self.dim(), 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    d = dim % n
    if self.dim() == 0:
        return T.gather(self, 0, indices)
    # Every dimension but `dim` broadcasts between input and indices (PyTorch's rule).
    ishape, sshape = list(self.shape), list(indices.shape)
    ishape[d] = sshape[d] = 1
    b = _bshape(ishape, sshape)
    bs, bi = list(b), list(b)
    bs[d], bi[d] = self.shape[d], indices.shape[d]
    return T.gather(self.expand(bs), d, indices.expand(bi))


def _bshape(a, b):
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton "
                               "dimension")
        out.append(max(x, y) if min(x, y) != 0 else 0)
    return out


def nonzero(T, self, as_tuple=False):
    coords = T.argwhere(self)
    if not as_tuple:
        return coords
    if self.dim() == 0:
        return (T.zeros((coords.shape[0],), dtype=T.int64),)
    return tuple(coords.unbind(1))
