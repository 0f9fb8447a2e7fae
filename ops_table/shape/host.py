"""Host (NumPy) kernels for shape ops that move data."""
import numpy as np


def clone(a):
    return np.array(a, copy=True)


def copy(self, src, non_blocking):
    return np.broadcast_to(src, self.shape).copy()


def cat(tensors, dim):
    ts = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or list(tensors[:1])
    return np.concatenate(ts, axis=dim)


def stack(tensors, dim):
    return np.stack(tensors, axis=dim)


def flip(a, dims):
    return np.flip(a, axis=tuple(dims)).copy()


def tile_repeat(a, repeats):
    return np.tile(a, tuple(repeats))


def roll(a, shifts, dims):
    if not dims:
        return np.roll(a.reshape(-1), tuple(shifts)).reshape(a.shape)
    return np.roll(a, tuple(shifts), axis=tuple(dims))
