"""torch.fft: the public transforms are composites (ops_table/fft/composites.py) over
ATen's three primitive transforms, whose backward formulas are the adjoint transforms."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, dim, dims, integer, sample, tensor
from . import composites, host, ms

_NS = ("torch.fft",)
_NORM = choice(None, "backward", "ortho", "forward")
_BAD = [call(tensor(shape=(2, 3)), None, -1, "bad"), call(tensor(shape=(2, 3)), 0)]
_BAD_N = [call(tensor(shape=(2, 3)), None, (0, 0)), call(tensor(shape=(3,)), (2, 2))]
_SIGNAL = ("float32", "float64", "int64")
_SPECTRUM = ("float32", "float64", "complex64", "complex128")


def _k(name):
    return {"default": getattr(ms, name), "host": getattr(host, name)}


def _public(name, schema_args, samples):
    return op(f"{name}(Tensor self, {schema_args}, str? norm=None) -> Tensor",
              composite=getattr(composites, f"fft_{name}"), variants=("function", "out"),
              namespaces=_NS, promote="none", samples=samples)


def _one_dim(name, dtypes, invalid=_BAD, n_choice=choice(None, 1, 3, 5, 8)):
    return _public(name, "SymInt? n=None, int dim=-1",
                   sample([custom("fft_signal"), n_choice, dim(0)], kwargs={"norm": _NORM}, dtypes=dtypes,
                          ndim=(1, 3), method=False, invalid=invalid))


def _two_dim(name, dtypes):
    return _public(name, "SymInt[1]? s=None, int[1] dim=[-2, -1]",
                   sample([custom("fft_signal"), custom("fft_s2")], kwargs={"norm": _NORM}, dtypes=dtypes,
                          ndim=(2, 3), method=False, invalid=[call(tensor(shape=(3,)))]))


def _n_dim(name, dtypes):
    return _public(name, "SymInt[1]? s=None, int[1]? dim=None",
                   sample([custom("fft_signal"), custom("fft_s_dims")], kwargs={"norm": _NORM}, dtypes=dtypes,
                          ndim=(1, 3), method=False, invalid=_BAD_N))


def _freq(name):
    return op(f"{name}(int n, float d=1.0, *, ScalarType? dtype=None, Layout? layout=None, "
              "Device? device=None, bool? pin_memory=None, bool requires_grad=False) -> Tensor",
              kernels=_k(name), variants=("function", "out"), namespaces=_NS, promote="none",
              backward="nondiff", factory_dtype="float",
              samples=sample([integer(0, 9), choice(1.0, 0.5, 3)], kwargs={"dtype": choice(None, "float64")},
                             grad=False, method=False, invalid=[call(-1)] if name == "fftfreq" else []))


def _shift(name):
    return op(f"{name}(Tensor self, int[1]? dim=None) -> Tensor",
              composite=getattr(composites, f"fft_{name}"), variants=("function",), namespaces=_NS,
              promote="none", samples=sample([tensor(), dims(0)], dtypes=FLOAT + ("int64",), method=False))


ENTRIES = [
    op("_fft_c2c(Tensor self, SymInt[] dim, int normalization, bool forward) -> Tensor",
       kernels={"default": ms.fft_c2c, "host": host.fft_c2c}, variants=(), promote="none",
       backward={"self": "T._fft_c2c(grad, dim, normalization, not forward)"},
       samples=sample([custom("fft_complex"), custom("fft_dims"), choice(0, 1, 2), choice(True, False)],
                      dtypes=("complex64", "complex128"), ndim=(1, 3), method=False)),
    op("_fft_r2c(Tensor self, int[] dim, int normalization, bool onesided) -> Tensor",
       kernels={"default": ms.fft_r2c, "host": host.fft_r2c}, variants=(), promote="none",
       backward={"self": "fft_r2c_backward(grad, self, dim, normalization, onesided)"},
       samples=sample([custom("fft_signal"), custom("fft_dims"), choice(0, 1, 2), choice(True, False)],
                      dtypes=FLOAT, ndim=(1, 3), method=False)),
    op("_fft_c2r(Tensor self, int[] dim, int normalization, SymInt last_dim_size) -> Tensor",
       kernels={"default": ms.fft_c2r, "host": host.fft_c2r}, variants=(), promote="none",
       backward={"self": "fft_c2r_backward(grad, dim, normalization)"},
       samples=sample([custom("fft_c2r_args")], dtypes=("complex64", "complex128"), ndim=(1, 3), method=False)),
    _one_dim("fft", _SIGNAL + ("complex64", "complex128")),
    _one_dim("ifft", _SIGNAL + ("complex64", "complex128")),
    _one_dim("rfft", _SIGNAL, invalid=_BAD + [call(tensor(shape=(3,), dtype="complex64"))]),
    _one_dim("ihfft", _SIGNAL),
    _one_dim("irfft", _SPECTRUM, n_choice=choice(None, 1, 2, 5, 8)),
    _one_dim("hfft", _SPECTRUM, n_choice=choice(None, 1, 2, 5, 8)),
    _two_dim("fft2", _SIGNAL + ("complex64",)),
    _two_dim("ifft2", _SIGNAL + ("complex64",)),
    _two_dim("rfft2", _SIGNAL),
    _two_dim("irfft2", _SPECTRUM),
    _n_dim("fftn", _SIGNAL + ("complex64", "complex128")),
    _n_dim("ifftn", _SIGNAL + ("complex64",)),
    _n_dim("rfftn", _SIGNAL),
    _n_dim("irfftn", _SPECTRUM),
    _freq("fftfreq"),
    _freq("rfftfreq"),
    _shift("fftshift"),
    _shift("ifftshift"),
]
