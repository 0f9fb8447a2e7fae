"""Sorting, selection, unique and searching."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, custom, dim, sample, tensor
from . import checks, composites, host, ms

_ALL4 = ("function", "method", "out")


def _k(name):
    return {"default": getattr(ms, name), "host": getattr(host, name)}


ENTRIES = [
    op(["sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)",
        "sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, "
        "Tensor indices)"],
       kernels=_k("sort"), variants=_ALL4, promote="same", nondiff_outputs=(1,), check=checks.sort,
       backward={"self": "onehot_scatter(grad, results[1], dim, self.shape)"},
       samples=sample([tensor(unique=True), custom("sort_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    op(["argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor",
        "argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor"],
       composite=composites.argsort, variants=("function", "method"), promote="none",
       samples=sample([tensor(unique=True), custom("sort_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    op("msort(Tensor self) -> Tensor", composite=composites.msort, variants=_ALL4, promote="none",
       samples=sample([tensor(unique=True, ndim=(1, 3))], dtypes=FLOAT)),
    op("topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, "
       "Tensor indices)",
       kernels=_k("topk"), variants=_ALL4, promote="same", nondiff_outputs=(1,), check=checks.topk,
       backward={"self": "onehot_scatter(grad, results[1], dim, self.shape)"},
       samples=sample([tensor(unique=True), custom("topk_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), 5)])),
    op("kthvalue(Tensor self, int k, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
       kernels=_k("kthvalue"), variants=_ALL4, promote="same", nondiff_outputs=(1,),
       check=checks.kthvalue,
       backward={"self": "select_backward(grad, results[1], dim, self.shape, keepdim)"},
       samples=sample([tensor(unique=True), custom("kth_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), 5)])),
    op("mode(Tensor self, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
       kernels=_k("mode"), variants=_ALL4, promote="same", nondiff_outputs=(1,), check=checks.mode,
       backward={"self": "select_backward(grad, results[1], dim, self.shape, keepdim)"},
       samples=sample([tensor(low=-2, high=2), dim(0)], kwargs={"keepdim": choice(False, True)},
                      dtypes=("int64", "float32"), invalid=[call(tensor(shape=(2, 3)), 2)])),
    op("_unique2(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> "
       "(Tensor, Tensor, Tensor)",
       kernels=_k("unique2"), variants=("function",), promote="same", nondiff_outputs=(1, 2), backward="nondiff",
       samples=sample([tensor(low=-3, high=3), custom("unique_flags")], dtypes=NUMERIC + ("bool",))),
    op("unique_dim(Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False)"
       " -> (Tensor, Tensor, Tensor)",
       kernels=_k("unique_dim"), variants=(), promote="same", nondiff_outputs=(1, 2), backward="nondiff",
       check=checks.unique_dim,
       samples=sample([tensor(low=-1, high=1, ndim=(1, 3)), custom("unique_dim_args")], dtypes=("int64", "float32"))),
    op("unique_dim_consecutive(Tensor self, int dim, bool return_inverse=False, bool return_counts=False) -> "
       "(Tensor, Tensor, Tensor)",
       kernels=_k("unique_dim_consecutive"), variants=(), promote="same", nondiff_outputs=(1, 2), backward="nondiff",
       check=checks.unique_dim,
       samples=sample([tensor(low=-1, high=1, ndim=(1, 3)), custom("unique_consec_dim_args")], dtypes=("int64",))),
    op("unique(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False, int? dim=None)"
       " -> Tensor",
       composite=composites.unique, variants=("function", "method"), promote="none",
       samples=sample([tensor(low=-3, high=3), custom("unique_flags")],
                      kwargs={"dim": choice(None, 0)}, dtypes=NUMERIC + ("bool",), grad=False)),
    op("unique_consecutive(Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None) -> "
       "Tensor",
       composite=composites.unique_consecutive, variants=("function", "method"), promote="none",
       samples=sample([tensor(low=-1, high=1)], kwargs={"return_inverse": choice(False, True),
                                                        "return_counts": choice(False, True),
                                                        "dim": choice(None, 0)}, dtypes=("int64", "float32"),
                      grad=False)),
    op(["searchsorted.Tensor(Tensor sorted_sequence, Tensor self, *, bool out_int32=False, bool right=False, "
        "str? side=None, Tensor? sorter=None) -> Tensor",
        "searchsorted.Scalar(Tensor sorted_sequence, Scalar self, *, bool out_int32=False, bool right=False, "
        "str? side=None, Tensor? sorter=None) -> Tensor"],
       kernels=_k("searchsorted"), variants=("function", "out"), promote="none", backward="nondiff",
       check=checks.searchsorted,
       samples=sample([custom("searchsorted_pair")],
                      kwargs={"right": choice(False, True), "out_int32": choice(False, True)}, dtypes=NUMERIC,
                      method=False, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(3, 3)))])),
    op(["bucketize.Tensor(Tensor self, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor",
        "bucketize.Scalar(Scalar self, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor"],
       composite=composites.bucketize, variants=("function",), promote="none",
       samples=sample([custom("bucketize_pair")], kwargs={"right": choice(False, True)}, dtypes=NUMERIC,
                      method=False, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 2)))])),
]
