"""cartesian_prod: the rows of the ij-meshgrid of 1-D tensors."""


def cartesian_prod(T, tensors):
    ts = list(tensors)
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for i, t in enumerate(ts):
        if not isinstance(t, T.Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(ts) == 1:
        return ts[0]
    if any(t.dtype != ts[0].dtype for t in ts):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    shape = tuple(t.shape[0] for t in ts)
    n = len(ts)
    columns = [t.reshape([-1 if k == j else 1 for k in range(n)]).expand(shape).reshape(-1)
               for j, t in enumerate(ts)]
    return T.stack(columns, 1)
