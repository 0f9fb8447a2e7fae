"""Complex views and constructors.  view_as_real/view_as_complex reinterpret the storage
(Tensor.view(dtype) shares it), so writes through `z.real` reach `z` as in PyTorch; their
gradients are each other's view, recorded as one autograd node."""
from ops_table.common.provided import get as _get


def _function_base():
    # A dtype-changing view has no geometry-only form the table's `view=` can express;
    # the reinterpreting view plus an autograd.Function node gives aliasing and gradients.
    return _get("Function")


_classes = {}


def _node_classes():
    if not _classes:
        Function = _function_base()

        class ViewAsReal(Function):
            @staticmethod
            def forward(ctx, z):
                return _real_view(z)

            @staticmethod
            def backward(ctx, grad):
                return _complex_view(grad.contiguous())

        class ViewAsComplex(Function):
            @staticmethod
            def forward(ctx, x):
                return _complex_view(x)

            @staticmethod
            def backward(ctx, grad):
                return _real_view(grad)
        _classes.update(real=ViewAsReal, complex=ViewAsComplex)
    return _classes


def _real_view(z):
    # The unsqueezed last dim has stride 1 whatever z's strides are: the dtype view then
    # splits it into (re, im) and doubles every other stride, as PyTorch's view_as_real.
    return z.unsqueeze(-1).view(z.dtype.to_real())


def _complex_view(x):
    return x.view(x.dtype.to_complex()).select(-1, 0)


def view_as_real(T, self):
    if not self.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _node_classes()["real"].apply(self)


def view_as_complex(T, self):
    if self.dtype.name not in ("float32", "float64"):
        if self.dtype.name == "float16":
            raise NotImplementedError("mstorch: view_as_complex of float16 (torch.complex32) is not supported")
        raise RuntimeError("view_as_complex is only supported for float and double tensors, but got a tensor "
                           f"of scalar type: {self.dtype.scalar_type}")
    if self.dim() == 0 or self.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    stride = self.stride()
    if stride[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in stride[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if self.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    return _node_classes()["complex"].apply(self)


def real(T, self):
    if not self.dtype.is_complex:
        return self
    return T.view_as_real(self).select(-1, 0)


def imag(T, self):
    if not self.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return T.view_as_real(self).select(-1, 1)


def _check_parts(real, imag, what):
    for name, t in (("real", real), ("imag", imag)):
        if t.dtype.name not in ("float32", "float64", "float16"):
            raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                               f"{real.dtype.scalar_type} and {imag.dtype.scalar_type}")
    if real.dtype is not imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.dtype.scalar_type} but got scalar type "
                           f"{imag.dtype.scalar_type} for second argument")
    if real.dtype.name == "float16":
        raise NotImplementedError(f"mstorch: torch.{what} of float16 inputs (torch.complex32) is not supported")


def complex(T, real, imag):
    _check_parts(real, imag, "complex")
    pair = T.stack(T.broadcast_tensors(real, imag), -1)
    return T.view_as_complex(pair)


def polar(T, abs, angle):
    _check_parts(abs, angle, "polar")
    return T.complex(abs * T.cos(angle), abs * T.sin(angle))

