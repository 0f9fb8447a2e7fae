"""`torch._foreach_*`: one per-tensor op applied to each element of tensor lists.

PyTorch's CPU path for these is the per-tensor loop, so a loop over the table's own ops
gives its numbers, dtypes and errors. In-place variants (`_foreach_mul_`) call the
per-tensor in-place op, which writes each tensor's own memory (views and `.numpy()` see
it, version counters move, autograd records it) and, as PyTorch's binding, return the
list they were given; out-of-place variants return a tuple."""


def _nonempty(self):
    if len(self) == 0:
        raise RuntimeError("Tensor list must have at least one tensor.")


def _same(self, *others):
    _nonempty(self)
    for o in others:
        if len(o) != len(self):
            raise RuntimeError(f"Tensor lists must have the same number of tensors, got {len(self)} and {len(o)}")


def _is_tensor_list(T, v):
    return isinstance(v, (list, tuple)) and all(isinstance(x, T.Tensor) for x in v)


def _per_element(T, self, other):
    """`other` of a binary foreach op (List, ScalarList, Tensor or Scalar overload) as one
    operand per element of `self`, after PyTorch's checks."""
    if isinstance(other, (list, tuple)):
        if _is_tensor_list(T, other):
            _same(self, other)
        else:
            _nonempty(self)
            if len(other) != len(self):
                raise RuntimeError("Tensor list must have same number of elements as scalar list.")
        return list(other)
    _nonempty(self)
    if isinstance(other, T.Tensor) and other.dim() != 0:
        raise RuntimeError(f"scalar tensor expected to be 0 dim but it has {other.dim()} dimensions and "
                           f"{other.numel()} elements.")
    return [other] * len(self)


def _packed_scalars(T, self, scalars):
    """addcmul/addcdiv's value: a Scalar, a list of Scalars, or a 1-d Tensor of them."""
    if isinstance(scalars, T.Tensor):
        if scalars.dim() != 1:
            raise RuntimeError(f"Expected packed scalar Tensor to be of dimension 1. Got {scalars.dim()} instead.")
        if not scalars.is_contiguous():
            raise RuntimeError("Expected scalars to be contiguous.")
        if scalars.numel() != len(self):
            raise RuntimeError(f"Expected length of scalars to match input of length {len(self)} but got "
                               f"{scalars.numel()} instead.")
        return scalars.tolist()
    if isinstance(scalars, (list, tuple)):
        if len(scalars) != len(self):
            raise RuntimeError("Tensor list must have same number of elements as scalar list.")
        return list(scalars)
    return [scalars] * len(self)


def _apply(self, fn, *per):
    return [fn(t, *a) for t, *a in zip(self, *per)]


def _done(self, inplace, results):
    # The dispatcher hands a composite a new list holding the caller's tensors: the in-place
    # result is a list of those same tensors (PyTorch returns the caller's list object).
    return list(self) if inplace else tuple(results)


def _binary(T, name, self, other, inplace, **kw):
    if kw.get("alpha", 1) != 1 and not isinstance(other, T.Tensor) and not _is_tensor_list(T, other):
        # PyTorch's Scalar and ScalarList overloads take no alpha.
        raise TypeError(f"_foreach_{name}() received an invalid combination of arguments: alpha is only "
                        "taken with a Tensor or a list of Tensors")
    others = _per_element(T, self, other)
    fn = (lambda t, o: getattr(t, name + "_")(o, **kw)) if inplace else (lambda t, o: getattr(T, name)(t, o, **kw))
    return _done(self, inplace, _apply(self, fn, others))


def mul_(T, self, other):
    return _binary(T, "mul", self, other, True)


def mul(T, self, other):
    return _binary(T, "mul", self, other, False)


def div_(T, self, other):
    return _binary(T, "div", self, other, True)


def div(T, self, other):
    return _binary(T, "div", self, other, False)


def add_(T, self, other, alpha=1):
    return _binary(T, "add", self, other, True, alpha=alpha)


def add(T, self, other, alpha=1):
    return _binary(T, "add", self, other, False, alpha=alpha)


def sub_(T, self, other, alpha=1):
    return _binary(T, "sub", self, other, True, alpha=alpha)


def sub(T, self, other, alpha=1):
    return _binary(T, "sub", self, other, False, alpha=alpha)


def _maximum_one(T, t, o, inplace):
    # PyTorch computes _foreach_maximum as clamp_min (a NaN bound gives NaN).
    if inplace:
        res = T.result_type(t, o)
        if not T.can_cast(res, t.dtype):
            raise RuntimeError(f"result type {_dtype_title(res)} can't be cast to the desired output type "
                               f"{_dtype_title(t.dtype)}")
    if not isinstance(o, T.Tensor):
        # In PyTorch's promotion (an int64 list with 0.5 gives float32).
        return t.clamp_min_(o) if inplace else T.clamp_min(t.to(T.result_type(t, o)), o)
    return t.copy_(T.maximum(t, o)) if inplace else T.maximum(t, o)


def _dtype_title(dt):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(str(dt).replace("torch.", ""), str(dt))


def maximum_(T, self, other):
    others = _per_element(T, self, other)
    return _done(self, True, _apply(self, lambda t, o: _maximum_one(T, t, o, True), others))


def maximum(T, self, other):
    others = _per_element(T, self, other)
    return _done(self, False, _apply(self, lambda t, o: _maximum_one(T, t, o, False), others))


def _lerp(T, self, tensors1, weight, inplace):
    _same(self, tensors1)
    weights = _per_element(T, self, weight)
    fn = (lambda t, e, w: t.lerp_(e, w)) if inplace else (lambda t, e, w: T.lerp(t, e, w))
    return _done(self, inplace, _apply(self, fn, tensors1, weights))


def lerp_(T, self, tensors1, weight):
    return _lerp(T, self, tensors1, weight, True)


def lerp(T, self, tensors1, weight):
    return _lerp(T, self, tensors1, weight, False)


def _addc(T, name, self, tensor1, tensor2, value, inplace):
    _same(self, tensor1, tensor2)
    values = _packed_scalars(T, self, value)
    if inplace:
        fn = lambda t, a, b, v: getattr(t, name + "_")(a, b, value=v)  # noqa: E731
    else:
        fn = lambda t, a, b, v: getattr(T, name)(t, a, b, value=v)  # noqa: E731
    return _done(self, inplace, _apply(self, fn, tensor1, tensor2, values))


def addcmul_(T, self, tensor1, tensor2, value=1):
    return _addc(T, "addcmul", self, tensor1, tensor2, value, True)


def addcmul(T, self, tensor1, tensor2, value=1):
    return _addc(T, "addcmul", self, tensor1, tensor2, value, False)


def addcdiv_(T, self, tensor1, tensor2, value=1):
    return _addc(T, "addcdiv", self, tensor1, tensor2, value, True)


def addcdiv(T, self, tensor1, tensor2, value=1):
    return _addc(T, "addcdiv", self, tensor1, tensor2, value, False)


def copy_(T, self, src, non_blocking=False):
    _same(self, src)
    return _done(self, True, _apply(self, lambda t, s: t.copy_(s, non_blocking), src))


def zero_(T, self):
    _nonempty(self)
    return _done(self, True, _apply(self, lambda t: t.zero_()))


def _unary(T, name, self, inplace):
    _nonempty(self)
    fn = (lambda t: getattr(t, name + "_")()) if inplace else (lambda t: getattr(T, name)(t))
    return _done(self, inplace, _apply(self, fn))


def sqrt_(T, self):
    return _unary(T, "sqrt", self, True)


def sqrt(T, self):
    return _unary(T, "sqrt", self, False)


def neg_(T, self):
    return _unary(T, "neg", self, True)


def neg(T, self):
    return _unary(T, "neg", self, False)


def norm(T, self, ord=2, dtype=None):
    _nonempty(self)
    return tuple(T.vector_norm(t, ord, dtype=dtype) for t in self)
