"""Backward helpers of the FFT primitives (the adjoints of the onesided transforms)."""
from ops_table.common.provided import get as _get


def fft_r2c_backward(grad, self, dim, normalization, onesided):
    """Adjoint of a (possibly onesided) real-to-complex transform: the missing half of the
    spectrum contributes nothing, so zero-pad it back, run the inverse-direction c2c with
    the same scaling and keep the real part (the input was real)."""
    T = _get("T")
    g = grad
    if onesided:
        d = dim[-1] % self.dim()
        missing = self.shape[d] - g.shape[d]
        if missing > 0:
            pad = [0] * (2 * (g.dim() - d))
            pad[-1] = missing
            g = T.constant_pad_nd(g, pad, 0)
    return T.real(T._fft_c2c(g, dim, normalization, False))


def fft_c2r_backward(grad, dim, normalization):
    """Adjoint of complex-to-real: every bin but DC (and Nyquist for even lengths) stands
    for itself and its conjugate mirror in the real signal, so its gradient counts twice."""
    T = _get("T")
    g = T._fft_r2c(grad, dim, normalization, True)
    d = dim[-1] % grad.dim()
    doubled = grad.shape[d] - g.shape[d]
    if doubled > 0:
        weights = [1.0] + [2.0] * doubled + [1.0] * (g.shape[d] - 1 - doubled)
        shape = [1] * g.dim()
        shape[d] = g.shape[d]
        g = g * T.tensor(weights, dtype=grad.dtype).reshape(shape)
    return g
