"""PyTorch's errors for linear algebra arguments."""

_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
          "bfloat16": "c10::BFloat16"}


def _same_dtype(name, a, b):
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_NAMES.get(a.dtype.name, a.dtype.name)}"
                           f" != {_NAMES.get(b.dtype.name, b.dtype.name)}")


def mm(a, b):
    if a.dim() != 2:
        raise RuntimeError(f"self must be a matrix")
    if b.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    _same_dtype("mm", a, b)


def bmm(a, b):
    if a.dim() != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor")
    if b.dim() != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                           f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _same_dtype("bmm", a, b)


def tri(a, diagonal=0):
    if a.dim() < 2:
        raise RuntimeError("tril/triu: input tensor must have at least 2 dimensions")
