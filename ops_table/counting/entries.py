"""Membership and counting: isin, bincount, cartesian_prod."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, sample, tensor
from . import checks, composites, host, ms


# isin and bincount run NumPy over host views on every backend: MindSpore 2.10 has no isin,
# and its Bincount is int32-only.


_ISIN_FLAGS = "*, bool assume_unique=False, bool invert=False"
ENTRIES = [
    op([f"isin.Tensor_Tensor(Tensor elements, Tensor test_elements, {_ISIN_FLAGS}) -> Tensor",
        f"isin.Tensor_Scalar(Tensor elements, Scalar test_element, {_ISIN_FLAGS}) -> Tensor",
        f"isin.Scalar_Tensor(Scalar element, Tensor test_elements, {_ISIN_FLAGS}) -> Tensor"],
       kernels={"default": ms.isin, "host": host.isin}, variants=("function", "out"), promote="compare", backward="nondiff",
       check=checks.isin,
       samples=sample([tensor(low=-3, high=3), tensor(bcast=True, low=-3, high=3)],
                      kwargs={"invert": choice(False, True)}, dtypes=NUMERIC, grad=False,
                      invalid=[call(tensor(shape=(2,), dtype="bool"), tensor(shape=(2,), dtype="bool"))])),
    op("bincount(Tensor self, Tensor? weights=None, SymInt minlength=0) -> Tensor",
       kernels={"default": ms.bincount, "host": host.bincount}, variants=("function", "method"), promote="none", backward="nondiff",
       check=checks.bincount,
       samples=sample([tensor(shape=(7,), dtype="int64", low=0, high=5), tensor(shape=(7,))],
                      kwargs={"minlength": choice(0, 3, 9)}, dtypes=FLOAT, grad=False,
                      invalid=[call(tensor(shape=(2, 2), dtype="int64", low=0, high=3)),
                               call(tensor(shape=(3,), dtype="int64", low=0, high=3), minlength=-1),
                               call(tensor(shape=(3,), dtype="int64", low=0, high=3), tensor(shape=(2,)))])),
    op("cartesian_prod(Tensor... tensors) -> Tensor",
       composite=composites.cartesian_prod, variants=("function",), promote="none",
       samples=sample([tensor(ndim=(1, 1)), tensor(ndim=(1, 1))], dtypes=NUMERIC, method=False,
                      invalid=[call(tensor(shape=(2, 2))), call(tensor(shape=(2,)), tensor(shape=(2, 2)))])),
]
