"""The autograd part of the Tensor API, which `install` puts on dispatch.tensor.Tensor."""
import weakref

import numpy as np

from dispatch import arrays, backend
from dispatch.autograd.api import backward as _backward
from dispatch.autograd.node import RemovableHandle
from dispatch.autograd.record import _legacy_name, refresh_view
from dispatch.tensor import Tensor

_NOT_API = ("__module__", "__qualname__", "__doc__", "__slots__", "__dict__", "__weakref__")


def install(cls):
    """Give `cls` (Tensor) the attributes below, except those it defines itself (its own class
    body, the table's methods installed before): these rank below both, as a base class's would."""
    for name, value in vars(AutogradTensorAPI).items():
        if name not in _NOT_API and name not in vars(cls):
            setattr(cls, name, value)


class AutogradTensorAPI:
    """Holds the definitions `install` copies; never instantiated, never a base class."""
    __slots__ = ()

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_requires_grad(flag)

    def _set_requires_grad(self, flag):
        flag = bool(flag)
        if self._grad_fn is not None:
            if not flag:
                raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use a "
                                   "computed variable in a subgraph that doesn't require differentiation use "
                                   "var_no_grad = var.detach().")
            return
        if flag and self._dtype.category < 2:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = flag

    def requires_grad_(self, requires_grad=True):
        self._set_requires_grad(requires_grad)
        return self

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value._dtype is not self._dtype:
                cname = {"float64": "double", "float32": "float", "float16": "c10::Half",
                         "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int"}.get(value._dtype.name,
                                                                                          value._dtype.name)
                raise RuntimeError(f"attempting to assign a gradient with dtype '{cname}' to a tensor with "
                                   f"grad_dtype '{_legacy_name(self._dtype)}'. The gradient must match the tensor's "
                                   "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
                                   "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
                                   "caution. Diverging the dtypes of a tensor and its gradient may break downstream "
                                   "systems that assume they match.")
            if tuple(value.shape) != tuple(self.shape):
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of "
                                   f"size '{list(self.shape)}'. Please ensure that the gradient and the tensor are "
                                   "the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def data(self):
        """The same storage without history (PyTorch's `.data`)."""
        t = self._detached_alias()
        return t if type(t) is _base_tensor() else _as_plain(t)

    @data.setter
    def data(self, value):
        # PyTorch swaps the tensor's contents for `value`'s, keeping the Python object
        # (and so every reference to a Parameter) and its autograd identity.
        if not isinstance(value, _base_tensor()):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data, self._storage, self._dtype, self._base = value._data, value._storage, value._dtype, value._base
        self._device = value._device

    @property
    def grad_fn(self):
        if self._base is not None:
            refresh_view(self)
        return self._grad_fn

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def output_nr(self):
        return self._output_nr

    def _detached_alias(self):
        """Same storage and geometry, no history (what detach() returns)."""
        t = type(self)._wrap(self._data, self._dtype, self._storage, self._base)
        t._device = self._device
        return t

    def detach(self):
        t = self._detached_alias()
        if type(t) is not _base_tensor():
            t = _as_plain(t)
        return t

    def detach_(self):
        if self._base is not None and self._grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as "
                               "True, gradients are views of DDP buckets, and hence detach_() cannot be called on "
                               "these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                               "function in torch/optim/optimizer.py as the solution.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    def _snapshot_for_backward(self):
        """A copy of the current values that keeps this tensor's history (for formulas
        of in-place ops that need the value before it is overwritten)."""
        host = np.array(self._host_view(), copy=True)
        where = "host" if type(self._data) is np.ndarray else backend.init_mindspore()
        t = _base_tensor()._wrap(arrays.from_numpy(host, where), self._dtype)
        t._storage._np = host.reshape(-1)
        t._grad_fn, t._output_nr, t._requires_grad = self._grad_fn, self._output_nr, self._requires_grad
        return t

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        _backward([self], [gradient] if gradient is not None else None, retain_graph, create_graph,
                 inputs=inputs)

    def register_hook(self, hook):
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is None:
            if self._hooks is None:
                self._hooks = {}
            key = object()
            self._hooks[key] = hook
            return RemovableHandle(self._hooks, key)
        node = self._grad_fn
        if node.tensor_pre_hooks is None:
            node.tensor_pre_hooks = {}
        hooks = node.tensor_pre_hooks.setdefault(self._output_nr, {})
        key = object()
        hooks[key] = hook
        return RemovableHandle(hooks, key)

    def register_post_accumulate_grad_hook(self, hook):
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
        lst = self._post_accumulate_hooks
        lst.append(hook)
        key = len(lst) - 1
        return RemovableHandle({key: hook}, key)

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        node = self._grad_fn
        if node.retains is None:
            node.retains = {}
        node.retains[self._output_nr] = weakref.ref(self)
        self._retains_grad = True


def _base_tensor():
    return Tensor


def _as_plain(t):
    plain = _base_tensor()._wrap(t._data, t._dtype, t._storage, t._base)
    plain._device = t._device
    return plain
