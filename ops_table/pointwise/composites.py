"""torch.where: the three-argument select, or the one-argument nonzero form."""


def where(T, condition, self=None, other=None):
    if self is None and other is None:
        return T.nonzero(condition, as_tuple=True)
    if condition.dtype is not T.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{str(condition.dtype).replace('torch.', '').capitalize()}")
    dtype = T.result_type(self, other)
    return T._where(condition, _as(T, self, dtype), _as(T, other, dtype))


def _as(T, v, dtype):
    if isinstance(v, T.Tensor):
        return v if v.dtype is dtype else v.to(dtype)
    return T.tensor(v, dtype=dtype)
