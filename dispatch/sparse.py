"""Sparse COO tensors: `torch.sparse_coo_tensor`, `Tensor.to_sparse` and the ops served on them.

Representation: a Tensor subclass holding an int64 `indices` tensor (sparse_dim x nnz) and a
dense `values` tensor (nnz x dense dims), both ordinary mstorch Tensors. It is a Tensor
subclass because PyTorch's sparse tensors are `torch.Tensor`s (isinstance checks, `.to`,
module code); it has no strided data, so `_data` raises, and the dispatcher sends every op
with a sparse operand to `run_op` below, which serves the ops in `_OPS` and refuses the
rest naming op and layout — no silent densifying.

The products are written with dense table ops on `values` (index_select, mul, index_add),
so autograd into the dense operand and into `values` comes from the dense ops' formulas
(gcn/gat backprop through `spmm(adj, support)` into `support`). Index bookkeeping
(coalescing, nonzero) runs in NumPy on the host: it is integer work done once per tensor.
"""
import numpy as np

from dispatch import dtypes as _dt
from dispatch.layout import sparse_coo
from dispatch.size import Size
from dispatch.tensor import Tensor, clear_bookkeeping
from dispatch import upcalls as _upcalls
from dispatch.dispatcher import function_for
from dispatch.interop import from_numpy
from dispatch.torch_function import _disabled_torch_function_impl
from dispatch.pyapi import as_tensor


def _op(name):
    return function_for(name)


def _refuse(what):
    return NotImplementedError(f"mstorch: {what} is not supported for sparse tensors (layout torch.sparse_coo)")


def _host_indices(t):
    return np.ascontiguousarray(t.numpy(), dtype=np.int64)


def _index_tensor(array):
    return from_numpy(np.ascontiguousarray(array, dtype=np.int64))


class SparseCOOTensor(Tensor):
    # Sparse tensors are plain torch.Tensors in PyTorch: no __torch_function__ of their own.
    __torch_function__ = _disabled_torch_function_impl

    @classmethod
    def _make(cls, indices, values, size, coalesced):
        t = object.__new__(cls)
        t._sp_indices, t._sp_values = indices, values
        t._sp_size, t._sp_coalesced = Size(size), coalesced
        t._requires_grad, t._grad_fn, t._base = False, None, None
        t._dtype = values.dtype
        clear_bookkeeping(t)
        return t

    @property
    def _data(self):
        # Non-op Tensor methods (numpy, item, stride, storage...) read the strided data.
        raise _refuse("reading strided data (numpy/item/tolist/stride/storage)")

    @property
    def _storage(self):
        raise _refuse("storage access")

    # ---- metadata -------------------------------------------------------------------
    layout = property(lambda self: sparse_coo)
    is_sparse = property(lambda self: True)
    shape = property(lambda self: self._sp_size)
    dtype = property(lambda self: self._sp_values.dtype)
    device = property(lambda self: self._sp_values.device)
    requires_grad = property(lambda self: self._sp_values.requires_grad)

    def size(self, dim=None):
        return self._sp_size if dim is None else self._sp_size[dim]

    def dim(self):
        return len(self._sp_size)

    ndim = property(dim)

    def numel(self):
        n = 1
        for s in self._sp_size:
            n *= s
        return n

    def sparse_dim(self):
        return self._sp_indices.shape[0]

    def dense_dim(self):
        return self._sp_values.dim() - 1

    def _nnz(self):
        return self._sp_indices.shape[1]

    def is_coalesced(self):
        return self._sp_coalesced

    def _indices(self):
        return self._sp_indices

    def _values(self):
        return self._sp_values

    def indices(self):
        if not self._sp_coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call .coalesce() first")
        return self._sp_indices

    def values(self):
        if not self._sp_coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call .coalesce() first")
        return self._sp_values

    def requires_grad_(self, requires_grad=True):
        raise _refuse("requires_grad_ (a sparse leaf)")

    def is_contiguous(self, memory_format=None):
        raise RuntimeError("Tensors of type SparseTensorImpl do not have is_contiguous")

    def stride(self, dim=None):
        raise RuntimeError("Tensors of type SparseTensorImpl do not have strides")

    # ---- conversions ----------------------------------------------------------------
    def coalesce(self):
        if self._sp_coalesced:
            return self
        idx = _host_indices(self._sp_indices)
        flat = np.ravel_multi_index(tuple(idx), tuple(self._sp_size[:idx.shape[0]]))
        unique, inverse = np.unique(flat, return_inverse=True)
        new_idx = np.stack(np.unravel_index(unique, tuple(self._sp_size[:idx.shape[0]]))) if idx.shape[0] else idx
        values = self._sp_values
        summed = _op("zeros")((len(unique),) + tuple(values.shape[1:]), dtype=values.dtype, device=values.device)
        summed = summed.index_add(0, _index_tensor(inverse), values)
        return SparseCOOTensor._make(_index_tensor(new_idx.reshape(idx.shape[0], -1)), summed,
                                     self._sp_size, True)

    def to_dense(self, dtype=None, *, masked_grad=None):
        if masked_grad is not None:
            raise NotImplementedError("mstorch: to_dense(masked_grad=...) is not supported")
        nsp = self.sparse_dim()
        sp_shape = tuple(self._sp_size[:nsp])
        values = self._sp_values if dtype is None else self._sp_values.to(dtype)
        flat = np.ravel_multi_index(tuple(_host_indices(self._sp_indices)), sp_shape) if nsp else \
            np.zeros(self._nnz(), dtype=np.int64)
        count = int(np.prod(sp_shape, dtype=np.int64))
        out = _op("zeros")((count,) + tuple(values.shape[1:]), dtype=values.dtype, device=values.device)
        return out.index_add(0, _index_tensor(flat), values).reshape(tuple(self._sp_size))

    def to_sparse(self, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
        _check_to_sparse_layout(layout, blocksize, dense_dim)
        if sparse_dim is not None and sparse_dim != self.sparse_dim():
            raise RuntimeError("to_sparse: conversion from Sparse to Sparse with sparse_dim argument !=self.sparse_dim()"
                               " is not supported")
        return self

    def to(self, *args, **kwargs):
        if kwargs.get("memory_format") is not None:
            raise _refuse("to(memory_format=...)")
        values = self._sp_values.to(*args, **kwargs)
        indices = self._sp_indices.to(values.device)
        if values is self._sp_values and indices is self._sp_indices:
            return self
        return SparseCOOTensor._make(indices, values, self._sp_size, self._sp_coalesced)

    def cpu(self):
        return self.to("cpu")

    def detach(self):
        return SparseCOOTensor._make(self._sp_indices, self._sp_values.detach(), self._sp_size, self._sp_coalesced)

    def t(self):
        if self.sparse_dim() != 2 or self.dense_dim() != 0:
            raise _refuse("t() of a tensor that is not 2-D sparse")
        swapped = _op("flip")(self._sp_indices, [0])
        return SparseCOOTensor._make(swapped, self._sp_values, (self._sp_size[1], self._sp_size[0]), False)

    def __repr__(self):
        pad = " " * len("tensor(indices=")
        ind = repr(self._sp_indices).replace("\n", "\n" + pad)
        val = repr(self._sp_values).replace("\n", "\n" + " " * len("       values="))
        size = tuple(self._sp_size)
        return (f"tensor(indices={ind},\n       values={val},\n       size={size}, nnz={self._nnz()}, "
                f"layout=torch.sparse_coo)")

    __str__ = __repr__

    def __len__(self):
        return self._sp_size[0]

    def __bool__(self):
        raise _refuse("bool()")

    def __reduce_ex__(self, protocol):
        raise _refuse("pickling")

    def __getitem__(self, index):
        raise _refuse("indexing")

    def __setitem__(self, index, value):
        raise _refuse("index assignment")


def _check_to_sparse_layout(layout, blocksize, dense_dim):
    if layout is not None and layout is not sparse_coo:
        raise NotImplementedError(f"mstorch: to_sparse(layout={layout}) is not supported (only torch.sparse_coo)")
    if blocksize is not None or dense_dim is not None:
        raise NotImplementedError("mstorch: to_sparse(blocksize=/dense_dim=) applies to compressed layouts, "
                                  "which are not supported")


def dense_to_sparse(t, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
    """`Tensor.to_sparse` of a strided tensor: the nonzero entries (rows of the first
    `sparse_dim` dims with any nonzero element), coalesced."""
    _check_to_sparse_layout(layout, blocksize, dense_dim)
    nsp = t.dim() if sparse_dim is None else sparse_dim
    if not 0 <= nsp <= t.dim():
        raise RuntimeError(f"sparse_dim argument must be in [0,{t.dim()}] range, but {nsp} is given")
    host = t.detach().numpy()
    mask = host != 0
    if nsp < t.dim():
        mask = mask.reshape(host.shape[:nsp] + (-1,)).any(axis=-1)
    idx = np.stack(np.nonzero(mask)) if nsp else np.zeros((0, 1 if mask else 0), dtype=np.int64)
    indices = _index_tensor(idx.reshape(nsp, -1))
    if nsp:
        flat = np.ravel_multi_index(tuple(idx), host.shape[:nsp])
        values = t.reshape((-1,) + tuple(t.shape[nsp:])).index_select(0, _index_tensor(flat))
    else:
        values = t.unsqueeze(0)[:indices.shape[1]]
    return SparseCOOTensor._make(indices, values, tuple(t.shape), True)


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, pin_memory=False,
                      requires_grad=False, check_invariants=None, is_coalesced=None):
    """`torch.sparse_coo_tensor`: indices become int64, values take `dtype`; not coalesced
    unless `is_coalesced=True` says so (as in PyTorch, duplicates stay until coalesce())."""
    if pin_memory:
        raise NotImplementedError("mstorch: sparse_coo_tensor(pin_memory=True) is not supported")
    if requires_grad:
        raise _refuse("sparse_coo_tensor(requires_grad=True) (a sparse leaf)")
    ind = as_tensor(indices, device=device)
    if ind.dtype.is_floating_point or ind.dtype.is_complex or ind.dtype is _dt.bool_:
        raise RuntimeError("indices must be an int64 tensor")
    ind = ind.to(_dt.int64)
    val = as_tensor(values, dtype=dtype, device=device)
    if ind.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(ind.shape)}")
    if ind.shape[1] != val.shape[0]:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: {ind.shape[1]}, "
                           f"nnz from values: {val.shape[0]}")
    host = _host_indices(ind)
    if size is None:
        size = tuple(int(m) + 1 for m in host.max(axis=1)) if host.size else (0,) * host.shape[0]
        size = size + tuple(val.shape[1:])
    size = tuple(int(s) for s in size)
    nsp = host.shape[0]
    if len(size) != nsp + val.dim() - 1:
        raise RuntimeError(f"number of dimensions must be sparse_dim ({nsp}) + dense_dim ({val.dim() - 1}), "
                           f"but got {len(size)}")
    if host.size:
        if host.min() < 0:
            raise RuntimeError("found negative index for sparse dimension")
        too_big = host.max(axis=1) >= np.array(size[:nsp])
        if too_big.any():
            d = int(np.argmax(too_big))
            raise RuntimeError(f"size is inconsistent with indices: for dim {d}, size is {size[d]} but found "
                               f"index {int(host[d].max())}")
    return SparseCOOTensor._make(ind.contiguous(), val, size, bool(is_coalesced))


# ---- ops with a sparse operand ---------------------------------------------------------

def _mm_sparse_dense(s, d):
    if s.dense_dim() != 0 or s.sparse_dim() != 2:
        raise _refuse("mm of a sparse tensor that is not 2-D")
    if d.dim() != 2:
        raise _refuse(f"mm of a sparse matrix with a {d.dim()}-D dense tensor")
    if s.shape[1] != d.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s.shape[0]}x{s.shape[1]} and "
                           f"{d.shape[0]}x{d.shape[1]})")
    if s.dtype != d.dtype:
        raise RuntimeError(f"expected mat1 and mat2 to have the same dtype, but got: {s.dtype} != {d.dtype}")
    rows, cols = s._sp_indices[0], s._sp_indices[1]
    contrib = d.index_select(0, cols) * s._sp_values.unsqueeze(1)
    out = _op("zeros")((s.shape[0], d.shape[1]), dtype=d.dtype, device=d.device)
    return out.index_add(0, rows, contrib)


def _mm_sparse_sparse(a, b):
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    if a.requires_grad or b.requires_grad:
        raise _refuse("autograd through sparse @ sparse")
    import scipy.sparse as sp  # the product's index structure is host work either way
    ha = sp.coo_matrix((a._sp_values.numpy(), tuple(_host_indices(a._sp_indices))), shape=tuple(a.shape))
    hb = sp.coo_matrix((b._sp_values.numpy(), tuple(_host_indices(b._sp_indices))), shape=tuple(b.shape))
    prod = (ha.tocsr() @ hb.tocsr()).tocoo()
    prod.sum_duplicates()  # sorted row-major, as a coalesced PyTorch tensor is
    values = from_numpy(np.ascontiguousarray(prod.data)).to(a.dtype)
    return SparseCOOTensor._make(_index_tensor(np.stack([prod.row, prod.col])), values, tuple(prod.shape), True)


def _mm(a, b):
    sa, sb = isinstance(a, SparseCOOTensor), isinstance(b, SparseCOOTensor)
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        raise _refuse("mm with a non-tensor operand")
    if sa and sb:
        return _mm_sparse_sparse(a, b)
    if not sa and not sb:
        return _op("mm")(a, b)
    if sa:
        return _mm_sparse_dense(a, b)
    if a.dim() != 2:
        raise _refuse(f"mm of a {a.dim()}-D dense tensor with a sparse matrix")
    # dense @ sparse = (sparse^T @ dense^T)^T
    return _mm_sparse_dense(b.t(), a.t()).t()


def _add(a, b, alpha=1):
    if not isinstance(b, Tensor) or not isinstance(a, Tensor):
        raise _refuse("add of a sparse tensor and a number")
    if tuple(a.shape) != tuple(b.shape):
        raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but self has size "
                           f"{list(a.shape)} while other has size {list(b.shape)}")
    sa, sb = isinstance(a, SparseCOOTensor), isinstance(b, SparseCOOTensor)
    if sa and sb:
        if a.sparse_dim() != b.sparse_dim():
            raise _refuse("add of sparse tensors with different sparse_dim")
        dtype = _dt.promote_types(a.dtype, b.dtype)
        other = b._sp_values.to(dtype)
        values = _op("cat")([a._sp_values.to(dtype), other if alpha == 1 else other * alpha])
        indices = _op("cat")([a._sp_indices, b._sp_indices], 1)
        both = SparseCOOTensor._make(indices, values, tuple(a.shape), False)
        return both.coalesce() if a.is_coalesced() and b.is_coalesced() else both
    # dense + sparse: the result is strided, as in PyTorch.
    dense_a = a.to_dense() if sa else a
    dense_b = b.to_dense() if sb else b
    return _op("add")(dense_a, dense_b, alpha=alpha)


def _sum(t, dim=None, keepdim=False, dtype=None):
    if dim is not None and dim != [] and dim != ():
        raise _refuse("sum over chosen dims")
    if keepdim:
        raise _refuse("sum(keepdim=True)")
    return _op("sum")(t._sp_values, dtype=dtype)


_OPS = {
    "mm": lambda a: _mm(a["self"], a["mat2"]),
    "matmul": lambda a: _mm(a["self"], a["other"]),
    "add": lambda a: _add(a["self"], a["other"], a.get("alpha", 1)),
    "sum": lambda a: _sum(a["self"], a.get("dim"), a.get("keepdim", False), a.get("dtype")),
}


def run_op(name, arg_names, args, out, inplace):
    """Called by the dispatcher for an op one of whose tensor operands is sparse."""
    handler = _OPS.get(name)
    if handler is None or out is not None or inplace:
        what = f"torch op '{name}'" + (" with out=" if out is not None else " in place" if inplace else "")
        raise _refuse(what)
    return handler(dict(zip(arg_names, args)))


def sparse_mm(sparse, dense):
    """`torch.sparse.mm` / `torch.spmm`: the product of a sparse matrix with a dense or sparse one."""
    return _mm(sparse, dense)


def sparse_sum(input, dim=None, dtype=None):
    if not isinstance(input, SparseCOOTensor):
        raise _refuse("torch.sparse.sum of a strided tensor")
    return _sum(input, dim, False, dtype)

_upcalls.provide(dense_to_sparse=dense_to_sparse, run_sparse_op=run_op)
