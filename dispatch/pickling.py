"""pickle / copy.deepcopy of tensors (torch.save has its own format, see mstorch.serialization)."""
import numpy as np


def _rebuild(host, dtype_name, requires_grad, cls=None):
    from dispatch import dtypes as _dt
    from dispatch.pyapi import host_to_tensor
    dtype = getattr(_dt, dtype_name if dtype_name != "bool" else "bool_")
    t = host_to_tensor(np.array(host, copy=True), dtype)
    if cls is not None and cls is not type(t):
        t = cls._from_plain(t) if hasattr(cls, "_from_plain") else t
    if requires_grad:
        t.requires_grad_(True)
    return t


def reduce_tensor(t):
    if t._grad_fn is not None:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                           "protocol at the moment.")
    host = np.array(t.detach()._host_view(), copy=True)
    return (_rebuild, (host, t._dtype.name, t._requires_grad, type(t)))


def deepcopy_tensor(t, memo):
    if id(t) in memo:
        return memo[id(t)]
    fn, args = reduce_tensor(t)
    new = fn(*args)
    if t._grad is not None:
        new._grad = deepcopy_tensor(t._grad, memo)
    new.__dict__.update({k: v for k, v in t.__dict__.items()})
    memo[id(t)] = new
    return new
