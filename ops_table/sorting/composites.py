"""Sorting ops composed of the table's sort/unique kernels."""


def argsort(T, x, *rest):
    if len(rest) == 3:  # argsort.stable(self, *, stable, dim, descending)
        stable, dim, descending = rest
        return T.sort(x, stable=stable, dim=dim, descending=descending)[1]
    dim, descending = rest
    return T.sort(x, dim, descending)[1]


def msort(T, x):
    return T.sort(x, 0)[0]


def unique(T, x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    # Like PyTorch, the answer is always sorted (there is no unsorted CPU path).
    if dim is None:
        out, inv, counts = T._unique2(x, sorted, return_inverse, return_counts)
    else:
        out, inv, counts = T.unique_dim(x, dim, sorted, return_inverse, return_counts)
    return _pick(out, inv, counts, return_inverse, return_counts)


def unique_consecutive(T, x, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        out, inv, counts = T.unique_dim_consecutive(x.reshape(-1), 0, return_inverse, return_counts)
        if return_inverse:
            inv = inv.reshape(tuple(x.shape))
    else:
        out, inv, counts = T.unique_dim_consecutive(x, dim, return_inverse, return_counts)
    return _pick(out, inv, counts, return_inverse, return_counts)


def _pick(out, inv, counts, return_inverse, return_counts):
    if return_inverse and return_counts:
        return out, inv, counts
    if return_inverse:
        return out, inv
    if return_counts:
        return out, counts
    return out


def bucketize(T, x, boundaries, out_int32=False, right=False):
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})")
    if not isinstance(x, T.Tensor):
        x = T.tensor(x, dtype=boundaries.dtype if isinstance(x, float) and boundaries.is_floating_point()
                     else None)
        return T.searchsorted(boundaries, x, out_int32=out_int32, right=right)
    return T.searchsorted(boundaries, x, out_int32=out_int32, right=right)
