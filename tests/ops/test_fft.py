"""torch.fft and complex views beyond the table's parity samples: gradients through the
transforms with real-valued losses (the parity harness only differentiates real outputs),
spectral filtering, aliasing of view_as_real/.real, against real torch."""
import numpy as np
import pytest
import torch

import mstorch

MT = mstorch.torch
RNG = np.random.default_rng(0)


def _both(arr, requires_grad=True):
    a = torch.from_numpy(arr.copy()).requires_grad_(requires_grad)
    b = MT.from_numpy(arr.copy()).requires_grad_(requires_grad)
    return a, b


def _close(ours, ref, tol):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy()), ref.detach().resolve_conj().numpy(),
                               rtol=tol, atol=tol)


_LOSSES = {
    "abs": lambda lib, y: y.abs().sum() if y.is_complex() else (y * y).sum(),
    # torch's inverse transforms of real input carry a lazy conjugate bit view_as_real refuses
    "view_as_real": lambda lib, y: (lib.view_as_real(y.resolve_conj() if lib is torch else y) *
                                    lib.arange(2.0, dtype=y.real.dtype)).sum()
    if y.is_complex() else y.sum(),
    "real_imag": lambda lib, y: (y.real * 2 - y.imag.sin()).sum() if y.is_complex() else y.cos().sum(),
}
_CALLS = [
    ("fft", {}), ("fft", {"n": 5, "norm": "ortho"}), ("ifft", {"n": 12}), ("rfft", {}), ("rfft", {"n": 7}),
    ("irfft", {}), ("irfft", {"n": 9, "norm": "forward"}), ("hfft", {}), ("hfft", {"n": 6}), ("ihfft", {}),
    ("fft2", {}), ("ifft2", {"s": (3, 5)}), ("rfft2", {}), ("irfft2", {"s": (4, 7)}), ("fftn", {"dim": (0,)}),
    ("rfftn", {"s": (2, 6)}), ("irfftn", {}), ("ifftn", {"norm": "forward"}),
]


@pytest.mark.parametrize("complex_input", [False, True])
@pytest.mark.parametrize("loss", sorted(_LOSSES))
@pytest.mark.parametrize("name,kwargs", _CALLS)
def test_gradients_match_torch(name, kwargs, loss, complex_input):
    if complex_input and name in ("rfft", "rfft2", "rfftn", "ihfft"):
        return  # real-input transforms
    shape = (4, 8)
    arr = RNG.standard_normal(shape)
    if complex_input:
        arr = arr + 1j * RNG.standard_normal(shape)
    a, b = _both(arr)
    ya = getattr(torch.fft, name)(a, **kwargs)
    yb = getattr(MT.fft, name)(b, **kwargs)
    assert str(yb.dtype) == str(ya.dtype)
    _close(yb, ya, 1e-9)
    _LOSSES[loss](torch, ya).backward()
    _LOSSES[loss](MT, yb).backward()
    _close(b.grad, a.grad, 1e-8)


def test_float32_in_float32_out():
    a, b = _both(RNG.standard_normal((3, 16)).astype(np.float32), requires_grad=False)
    ya, yb = torch.fft.irfft(torch.fft.rfft(a) * 0.5), MT.fft.irfft(MT.fft.rfft(b) * 0.5)
    assert yb.dtype == MT.float32 and MT.fft.rfft(b).dtype == MT.complex64
    _close(yb, ya, 1e-5)


def test_spectral_filter_trains_like_torch():
    sig = RNG.standard_normal((2, 32)).astype(np.float32)
    filt = RNG.standard_normal(17).astype(np.float32)
    fa, fb = _both(filt)
    xa, xb = _both(sig, requires_grad=False)
    la = (torch.fft.irfft(torch.fft.rfft(xa) * torch.polar(fa.abs() + 0.1, fa), n=32) ** 2).mean()
    lb = (MT.fft.irfft(MT.fft.rfft(xb) * MT.polar(fb.abs() + 0.1, fb), n=32) ** 2).mean()
    la.backward()
    lb.backward()
    _close(lb, la, 1e-5)
    _close(fb.grad, fa.grad, 1e-4)


def test_view_as_real_and_real_alias_the_complex_tensor():
    z = MT.complex(MT.tensor([1.0, 2.0]), MT.tensor([3.0, 4.0]))
    r = MT.view_as_real(z)
    r[0, 1] = -7.0
    z.real.mul_(10)
    assert z.tolist() == [10 - 7j, 20 + 4j]
    assert MT.view_as_complex(MT.tensor([[1.0, 2.0]])).tolist() == [1 + 2j]
    zt = MT.tensor([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]]).t()
    assert MT.view_as_real(zt).stride() == (2, 4, 1)


def test_complex_abs_angle_conj_values():
    arr = np.array([3 + 4j, -1j, 0j, -2 + 0j], dtype=np.complex64)
    a, b = _both(arr, requires_grad=False)
    for f in (lambda t: t.abs(), lambda t: t.conj(), lambda t: t * t.conj(), lambda t: t + 1):
        ra, rb = f(a), f(b)
        assert str(rb.dtype) == str(ra.dtype)
        _close(rb, ra, 1e-6)


def test_errors_match_torch():
    for f in (lambda lib: lib.fft.fft(lib.ones(4), norm="bad"), lambda lib: lib.fft.rfft(lib.ones(3) * 1j),
              lambda lib: lib.fft.fftn(lib.ones(2, 3), dim=(0, 0)), lambda lib: lib.fft.fft(lib.ones(4).half()),
              lambda lib: lib.fft.irfft(lib.ones(1)), lambda lib: lib.view_as_complex(lib.ones(3))):
        with pytest.raises(RuntimeError):
            f(torch)
        with pytest.raises(RuntimeError):
            f(MT)
