"""FFT kernels on the host: NumPy's pocketfft (double precision), rounded to the input's
precision.  These are ATen's three primitive transforms; the public torch.fft functions
are composites over them (ops_table/fft/composites.py).

`normalization` is ATen's enum: 0 none, 1 by 1/sqrt(n), 2 by 1/n, where n is the number
of points of the transformed dims (of the real signal for r2c/c2r)."""
import numpy as np

# NumPy names the normalization after the direction that is left unscaled.
_FORWARD_NORM = {0: "backward", 1: "ortho", 2: "forward"}
_INVERSE_NORM = {0: "forward", 1: "ortho", 2: "backward"}
_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128,
               np.dtype(np.complex64): np.complex64, np.dtype(np.complex128): np.complex128}
_REAL_OF = {np.dtype(np.complex64): np.float32, np.dtype(np.complex128): np.float64}


def _axes(dim, ndim, a):
    if a.size == 0:
        # PyTorch's CPU FFT (MKL) refuses to plan a transform over no elements.
        raise RuntimeError(f"FFT of a tensor with no elements (shape {a.shape}) is not supported, as in PyTorch")
    return [d % ndim for d in dim]


def fft_c2c(a, dim, normalization, forward):
    axes = _axes(dim, a.ndim, a)
    if forward:
        out = np.fft.fftn(a, axes=axes, norm=_FORWARD_NORM[normalization])
    else:
        out = np.fft.ifftn(a, axes=axes, norm=_INVERSE_NORM[normalization])
    return np.asarray(out, dtype=_COMPLEX_OF[a.dtype])


def fft_r2c(a, dim, normalization, onesided):
    axes = _axes(dim, a.ndim, a)
    norm = _FORWARD_NORM[normalization]
    out = np.fft.rfftn(a, axes=axes, norm=norm) if onesided else np.fft.fftn(a, axes=axes, norm=norm)
    return np.asarray(out, dtype=_COMPLEX_OF[a.dtype])


def fft_c2r(a, dim, normalization, last_dim_size):
    axes = _axes(dim, a.ndim, a)
    s = [a.shape[d] for d in axes[:-1]] + [last_dim_size]
    out = np.fft.irfftn(a, s=s, axes=axes, norm=_INVERSE_NORM[normalization])
    return np.asarray(out, dtype=_REAL_OF[a.dtype])


def _check_freq_dtype(dtype):
    if dtype.np.kind not in "fc":
        raise RuntimeError("fftfreq requires a floating point or complex dtype")


def fftfreq(n, d, dtype):
    _check_freq_dtype(dtype)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    k = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (k / (float(n) * d)).astype(dtype.np)


def rfftfreq(n, d, dtype):
    _check_freq_dtype(dtype)
    # PyTorch's count n/2 + 1 truncates toward zero (C division): rfftfreq(-1) has one point.
    k = np.arange(0, max(int(n / 2) + 1, 0), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (k / (float(n) * d)).astype(dtype.np)
