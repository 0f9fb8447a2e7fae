"""nn.Parameter and nn.Buffer: Tensors that modules register on assignment."""
from dispatch import Tensor
from dispatch.torch_function import _disabled_torch_function_impl


def _share(cls, data):
    t = cls._wrap(data._data, data._dtype, data._storage, data._base)
    t._device = data._device
    return t


class Parameter(Tensor):
    # As in PyTorch: ops on Parameters give plain Tensors, not Parameters.
    __torch_function__ = _disabled_torch_function_impl

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from dispatch.pyapi import tensor
            data = tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
        p = _share(cls, data.detach())
        p.requires_grad_(requires_grad)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    @classmethod
    def _from_plain(cls, t):
        return cls(t, t.requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.detach().clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self.detach(), self.requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


class UninitializedParameter(Parameter):
    def __new__(cls, requires_grad=True, device=None, dtype=None):
        raise NotImplementedError("mstorch: lazy modules (UninitializedParameter) are not supported yet")


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a Module attribute."""
    __torch_function__ = _disabled_torch_function_impl

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from dispatch.pyapi import tensor
            data = tensor([])
        b = _share(cls, data.detach())
        b.persistent = persistent
        return b

    def __init__(self, data=None, *, persistent=True):
        pass


def is_lazy(param):
    return False
