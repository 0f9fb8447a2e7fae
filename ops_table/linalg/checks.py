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


_SCALAR_TYPE = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                "float16": "Half", "bfloat16": "BFloat16"}


def svd(A, full_matrices=False, compute_uv=True, driver=None, *rest, **kw):
    if A.dim() < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    name = _SCALAR_TYPE.get(A.dtype.name if hasattr(A.dtype, "name") else str(A.dtype).replace("torch.", ""))
    if not A.is_floating_point() and not A.is_complex():
        raise RuntimeError(f"linalg.svd: Expected a floating point or complex tensor as input. Got {name}")
    if name in ("Half", "BFloat16"):
        raise NotImplementedError(f"\"linalg_svd_cpu\" not implemented for '{name}'")
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
                           "cuSOLVER backend.")


def _square(A, name):
    if A.dim() < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if not A.is_floating_point() and not A.is_complex():
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. Got {A.dtype}")


def square(A, *rest, **kw):
    _square(A, "inv")


def solve(A, B, left=True, *rest, **kw):
    _square(A, "solve")
    vec = B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vec and not left:
        raise RuntimeError("linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. "
                           "In this case linalg.solve is equivalent to B / A.squeeze(-1)")
    if B.dim() < 1 or (not vec and B.shape[-2] != A.shape[-1]):
        raise RuntimeError("linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {tuple(B.shape)[-2:]})")


def qr(A, mode="reduced", **kw):
    if A.dim() < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
