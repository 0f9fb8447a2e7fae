"""torch.fft as PyTorch builds it: argument resolution, input resizing (zero-pad or trim)
and dtype promotion here, the transforms in three primitive ops (_fft_c2c, _fft_r2c,
_fft_c2r) whose backward formulas are the adjoint transforms.  Resizing uses table ops
(narrow, constant_pad_nd), so their gradients come from the autograd record."""

_NORMS = (None, "backward", "ortho", "forward")


def _normalization(norm, forward):
    """ATen's normalization enum (0 none, 1 1/sqrt(n), 2 1/n) for a transform direction."""
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    if norm == "ortho":
        return 1
    scaled_forward = norm == "forward"
    return 2 if scaled_forward == forward else 0


def _wrap_dim(d, ndim):
    n = max(ndim, 1)
    if not -n <= d < n:
        lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
    return d % n


def _float_input(T, x, name, require_real=False):
    """PyTorch's promotion: integral/bool inputs become the default float dtype; half
    precision has no CPU FFT."""
    d = x.dtype
    if d.is_complex:
        if require_real:
            raise RuntimeError(f"{name} expects a real input tensor, but got {d.scalar_type}")
        return x
    if d.name in ("float16", "bfloat16"):
        raise RuntimeError(f"Unsupported dtype {d.scalar_type}")
    if not d.is_floating_point:
        return x.to(T.get_default_dtype())
    return x


def _complex_input(T, x, name):
    x = _float_input(T, x, name)
    return x if x.dtype.is_complex else x.to(x.dtype.to_complex())


def _resize(T, x, dims, sizes):
    """Zero-pad or trim `x` to `sizes` along `dims` (PyTorch's n/s arguments)."""
    for d, n in zip(dims, sizes):
        have = x.shape[d]
        if n < have:
            x = x.narrow(d, 0, n)
        elif n > have:
            pad = [0] * (2 * (x.dim() - d))
            pad[-1] = n - have
            x = T.constant_pad_nd(x, pad, 0)
    return x


def _check_points(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _check_not_empty(x, name):
    # PyTorch's CPU FFT (MKL) refuses to plan a transform over a tensor with no elements.
    if x.numel() == 0:
        raise RuntimeError(f"{name}: cannot transform a tensor with no elements (shape {tuple(x.shape)}), "
                           "as PyTorch's CPU FFT refuses")


def _one_dim(x, n, dim):
    if x.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, x.dim())
    n = x.shape[d] if n is None else n
    _check_points(n)
    return d, n


def _n_dims(x, s, dim, default_dim=None):
    """PyTorch's (dims, sizes) for the n-dimensional transforms."""
    ndim = x.dim()
    if dim is None:
        dim = default_dim
    if dim is not None:
        dims = [_wrap_dim(d, ndim) for d in dim]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
        if s is not None and len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions.")
        dims = list(range(ndim - len(s), ndim))
    else:
        dims = list(range(ndim))
    sizes = [x.shape[d] if s is None or s[k] == -1 else s[k] for k, d in enumerate(dims)]
    for n in sizes:
        _check_points(n)
    return dims, sizes


# ---- complex-to-complex -------------------------------------------------------------

def _c2c(T, name, self, dims, sizes, norm, forward):
    x = _float_input(T, self, name)
    normalization = _normalization(norm, forward)
    if not x.dtype.is_complex:
        # A real signal's full spectrum, as PyTorch computes it (r2c, two-sided).
        x = _resize(T, x, dims, sizes)
        _check_not_empty(x, name)
        if not dims:
            return x.to(x.dtype.to_complex())
        if forward:
            return T._fft_r2c(x, dims, normalization, False)
        return T._fft_c2c(x.to(x.dtype.to_complex()), dims, normalization, False)
    x = _resize(T, x, dims, sizes)
    _check_not_empty(x, name)
    if not dims:
        return x.clone()
    return T._fft_c2c(x, dims, normalization, forward)


def fft_fft(T, self, n=None, dim=-1, norm=None):
    d, n = _one_dim(self, n, dim)
    return _c2c(T, "fft_fft", self, [d], [n], norm, True)


def fft_ifft(T, self, n=None, dim=-1, norm=None):
    d, n = _one_dim(self, n, dim)
    return _c2c(T, "fft_ifft", self, [d], [n], norm, False)


def fft_fft2(T, self, s=None, dim=(-2, -1), norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _c2c(T, "fft_fft2", self, dims, sizes, norm, True)


def fft_ifft2(T, self, s=None, dim=(-2, -1), norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _c2c(T, "fft_ifft2", self, dims, sizes, norm, False)


def fft_fftn(T, self, s=None, dim=None, norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _c2c(T, "fft_fftn", self, dims, sizes, norm, True)


def fft_ifftn(T, self, s=None, dim=None, norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _c2c(T, "fft_ifftn", self, dims, sizes, norm, False)


# ---- real-to-complex (onesided) -----------------------------------------------------

def _r2c(T, name, self, dims, sizes, norm, forward):
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    x = _float_input(T, self, name, require_real=True)
    x = _resize(T, x, dims, sizes)
    _check_not_empty(x, name)
    out = T._fft_r2c(x, dims, _normalization(norm, forward), True)
    # ihfft is the inverse transform of a real signal: the conjugate of the forward one.
    return out if forward else T.conj_physical(out)


def fft_rfft(T, self, n=None, dim=-1, norm=None):
    d, n = _one_dim(self, n, dim)
    return _r2c(T, "rfft", self, [d], [n], norm, True)


def fft_rfft2(T, self, s=None, dim=(-2, -1), norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _r2c(T, "rfftn", self, dims, sizes, norm, True)


def fft_rfftn(T, self, s=None, dim=None, norm=None):
    dims, sizes = _n_dims(self, s, dim)
    return _r2c(T, "rfftn", self, dims, sizes, norm, True)


def fft_ihfft(T, self, n=None, dim=-1, norm=None):
    d, n = _one_dim(self, n, dim)
    return _r2c(T, "ihfft", self, [d], [n], norm, False)


# ---- complex-to-real (Hermitian input) ----------------------------------------------

def _c2r(T, name, self, dims, sizes, last_size, norm, forward):
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    _check_points(last_size)
    x = _complex_input(T, self, name)
    x = _resize(T, x, dims, sizes[:-1] + [last_size // 2 + 1])
    _check_not_empty(x, name)
    if forward:
        # hfft is the forward transform of a Hermitian signal: c2r of its conjugate.
        x = T.conj_physical(x)
    return T._fft_c2r(x, dims, _normalization(norm, forward), last_size)


def _last_size(self, dims, s):
    if s is not None and s[-1] != -1:
        return s[-1]
    return 2 * (self.shape[dims[-1]] - 1)


def fft_irfft(T, self, n=None, dim=-1, norm=None):
    d, _ = _one_dim(self, 1 if n is None else n, dim)
    last = 2 * (self.shape[d] - 1) if n is None else n
    return _c2r(T, "irfft", self, [d], [last], last, norm, False)


def fft_hfft(T, self, n=None, dim=-1, norm=None):
    d, _ = _one_dim(self, 1 if n is None else n, dim)
    last = 2 * (self.shape[d] - 1) if n is None else n
    return _c2r(T, "hfft", self, [d], [last], last, norm, True)


def _irfft_n(T, name, self, s, dim, norm, default_dim=None):
    s_checked = None if s is None else [1 if v == -1 else v for v in s]
    dims, sizes = _n_dims(self, s_checked, dim, default_dim)
    sizes = [self.shape[d] if s is None or s[k] == -1 else s[k] for k, d in enumerate(dims)]
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    last = _last_size(self, dims, s)
    return _c2r(T, name, self, dims, sizes, last, norm, False)


def fft_irfft2(T, self, s=None, dim=(-2, -1), norm=None):
    return _irfft_n(T, "irfftn", self, s, dim, norm)


def fft_irfftn(T, self, s=None, dim=None, norm=None):
    return _irfft_n(T, "irfftn", self, s, dim, norm)


# ---- helpers ------------------------------------------------------------------------

def _shift(T, self, dim, inverse):
    if dim is None:
        dims = list(range(self.dim()))
    elif isinstance(dim, int):
        dims = [dim]
    else:
        dims = list(dim)
    shifts = [self.shape[_wrap_dim(d, self.dim())] // 2 * (-1 if inverse else 1) for d in dims]
    if not dims:
        raise RuntimeError("`shifts` required")
    return T.roll(self, shifts, dims)


def fft_fftshift(T, self, dim=None):
    return _shift(T, self, dim, False)


def fft_ifftshift(T, self, dim=None):
    return _shift(T, self, dim, True)
