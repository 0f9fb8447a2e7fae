"""Dtype conversion and complex views."""
from ops_table.spec import op
from ops_table.samples import ALL, FLOAT, choice, sample, tensor
from . import composites
from ops_table.common import convert

ENTRIES = [
    op("_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
       "bool? pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None) -> Tensor",
       kernels={"default": convert.to_copy_ms, "host": convert.to_copy_host},
       variants=(), promote="none",
       # A real input cast to complex gets the real part of the complex gradient.
       backward={"self": "(T.real(grad) if grad.is_complex() and not self.dtype.is_complex else grad).to(self.dtype)"
                         " if self.dtype.is_floating_point or self.dtype.is_complex else None"},
       samples=sample([tensor()], kwargs={"dtype": choice("float64", "float32", "int64", "bool", "float16")},
                      dtypes=ALL)),
    op("conj(Tensor(a) self) -> Tensor(a)",
       composite=composites.conj,
       variants=("function", "method"), promote="none", samples=sample([tensor()], dtypes=FLOAT)),
]
