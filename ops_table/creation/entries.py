"""Factories: tensors from sizes and fill values (random factories live in random.py)."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, custom, integer, sample, tensor
from . import composites, ms
from ops_table.common import checks_int

_FACTORY = "*, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, " \
           "bool requires_grad=False"
_LIKE = "*, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, " \
        "bool requires_grad=False, MemoryFormat? memory_format=None"


def _factory(name, schema, fdtype="float", samples=None, check=None):
    return op(schema, kernels={"default": getattr(ms, f"{name}_ms"), "host": getattr(ms, f"{name}_host")},
              variants=("function", "out"), promote="none", backward="nondiff", factory_dtype=fdtype, check=check,
              samples=samples or sample([custom("size")], dtypes=NUMERIC, grad=False, method=False,
                                        invalid=[call((-1, 2))]))


def _like(name, extra=""):
    return op(f"{name}_like(Tensor self, {extra}{_LIKE}) -> Tensor",
              composite=getattr(composites, f"{name}_like"),
              variants=("function",), promote="none", backward="nondiff",
              samples=sample([tensor()] + ([integer(-3, 3)] if extra else []), dtypes=NUMERIC, grad=False,
                             method=False, compare="meta" if name == "empty" else "values"))


ENTRIES = [
    _factory("zeros", f"zeros(SymInt[] size, {_FACTORY}) -> Tensor"),
    _factory("ones", f"ones(SymInt[] size, {_FACTORY}) -> Tensor"),
    _factory("empty", f"empty(SymInt[] size, {_FACTORY}, MemoryFormat? memory_format=None) -> Tensor",
             samples=sample([custom("size")], dtypes=NUMERIC, grad=False, method=False, compare="meta",
                            invalid=[call((-1, 2))])),
    op(f"empty_strided(SymInt[] size, SymInt[] stride, {_FACTORY}) -> Tensor",
       composite=composites.empty_strided,
       variants=("function",), promote="none", backward="nondiff",
       samples=sample([custom("size_stride")], dtypes=NUMERIC, grad=False, method=False, compare="meta")),
    _factory("full", f"full(SymInt[] size, Scalar fill_value, {_FACTORY}) -> Tensor", fdtype="infer:fill_value",
             samples=sample([custom("size"), choice(1.5, 3, True, -2)], grad=False, method=False),
             check=checks_int.full),
    _factory("arange", f"arange(Scalar start, Scalar? end=None, Scalar step=1, {_FACTORY}) -> Tensor",
             fdtype="infer:start,end,step",
             samples=sample([custom("arange_args")], grad=False, method=False, invalid=[call(0, 5, 0)])),
    _factory("linspace", f"linspace(Scalar start, Scalar end, int steps, {_FACTORY}) -> Tensor",
             samples=sample([choice(0, -2.5, 3), choice(1, 10, 4.5), choice(0, 1, 5, 11)], grad=False,
                            method=False, invalid=[call(0, 1, -1)])),
    _factory("eye", f"eye(SymInt n, SymInt? m=None, {_FACTORY}) -> Tensor",
             samples=sample([custom("eye_args")], grad=False, method=False, invalid=[call(-1)])),
    op("fill.Scalar(Tensor self, Scalar value) -> Tensor",
       kernels={"default": ms.fill_ms, "host": ms.fill_host},
       variants=("inplace",), promote="none", backward={"self": "grad * 0"},
       samples=sample([tensor(), choice(0, 1.5, -2, True)], dtypes=NUMERIC)),
    op("zero(Tensor self) -> Tensor",
       kernels={"default": ms.zero_ms, "host": ms.zero_host},
       variants=("inplace",), promote="none", backward={"self": "grad * 0"},
       samples=sample([tensor()], dtypes=NUMERIC)),
    _like("zeros"), _like("ones"), _like("empty"), _like("full", "Scalar fill_value, "),
    op("new_zeros(Tensor self, SymInt[] size, " + _FACTORY + ") -> Tensor",
       composite=composites.new_zeros,
       variants=("method",), promote="none", backward="nondiff",
       samples=sample([tensor(), custom("size")], dtypes=NUMERIC, grad=False)),
    op("new_ones(Tensor self, SymInt[] size, " + _FACTORY + ") -> Tensor",
       composite=composites.new_ones,
       variants=("method",), promote="none", backward="nondiff",
       samples=sample([tensor(), custom("size")], dtypes=NUMERIC, grad=False)),
    op("new_empty(Tensor self, SymInt[] size, " + _FACTORY + ") -> Tensor",
       composite=composites.new_zeros,
       variants=("method",), promote="none", backward="nondiff",
       samples=sample([tensor(), custom("size")], dtypes=NUMERIC, grad=False, compare="meta")),
    op("new_full(Tensor self, SymInt[] size, Scalar fill_value, " + _FACTORY + ") -> Tensor",
       composite=composites.new_full,
       variants=("method",), promote="none", backward="nondiff",
       samples=sample([tensor(), custom("size"), choice(2, 0.5)], dtypes=NUMERIC, grad=False)),
    # --- from coverage.py ---
    op("tril_indices(int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       composite=composites.tril_indices, variants=("function",), promote="none",
       samples=sample([integer(0, 5), integer(0, 5), integer(-3, 3)], dtypes=("int64",), method=False)),
    op("triu_indices(int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       composite=composites.triu_indices, variants=("function",), promote="none",
       samples=sample([integer(0, 5), integer(0, 5), integer(-3, 3)], dtypes=("int64",), method=False)),
]
