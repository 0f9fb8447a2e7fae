"""Complex numbers: views between complex and (re, im) pairs, constructors, conj."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, custom, sample, tensor
from . import composites, host, ms

_CX = ("complex64", "complex128")


def _comp(schema, name, samples, variants=("function", "method")):
    return op(schema, composite=getattr(composites, name), variants=variants, promote="none",
              samples=samples)


ENTRIES = [
    _comp("view_as_real(Tensor(a) self) -> Tensor(a)", "view_as_real",
          sample([custom("fft_complex")], dtypes=_CX, method=False, invalid=[call(tensor(shape=(2,), dtype="float32"))]),
          variants=("function",)),
    _comp("view_as_complex(Tensor(a) self) -> Tensor(a)", "view_as_complex",
          sample([tensor(shape=(3, 2))], dtypes=FLOAT, method=False,
                 invalid=[call(tensor(shape=(2, 3))), call(tensor(shape=(2,), dtype="int64"))]),
          variants=("function",)),
    _comp("real(Tensor(a) self) -> Tensor(a)", "real",
          sample([custom("fft_complex")], dtypes=_CX + FLOAT, method=False), variants=("function",)),
    _comp("imag(Tensor(a) self) -> Tensor(a)", "imag",
          sample([custom("fft_complex")], dtypes=_CX + FLOAT, method=False), variants=("function",)),
    _comp("complex(Tensor real, Tensor imag) -> Tensor", "complex",
          sample([tensor(), tensor(bcast=True)], dtypes=FLOAT, method=False,
                 invalid=[call(tensor(shape=(2,)), tensor(shape=(2,), dtype="float64"))]),
          variants=("function", "out")),
    _comp("polar(Tensor abs, Tensor angle) -> Tensor", "polar",
          sample([tensor(low=0, high=3), tensor(bcast=True)], dtypes=FLOAT, method=False),
          variants=("function", "out")),
    op("conj_physical(Tensor self) -> Tensor",
       kernels={"default": ms.conj_physical, "host": host.conj_physical},
       variants=("function", "method", "inplace", "out"), promote="none",
       backward={"self": "T.conj_physical(grad)"},
       samples=sample([custom("fft_complex")], dtypes=_CX + FLOAT, method=False)),
]
