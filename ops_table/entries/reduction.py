"""Reductions over dimensions."""
from ops_table.spec import op
from ops_table.samples import ALL, FLOAT, NUMERIC, call, choice, dims, sample, tensor

_KEEP = {"keepdim": choice(False, True)}


def _reduce(name, schema, backward, samples, promote="same", check="checks_reduction.dims", host=None):
    return op(schema, kernels={"cpu": f"fn:ms_reduction.{name}", "gpu": f"fn:ms_reduction.{name}",
                               "ascend": f"mint:{name.rstrip('_')}", "host": host or f"fn:np_reduction.{name}"},
              variants=("function", "method", "out"), promote=promote, backward=backward, samples=samples,
              check=check)


ENTRIES = [
    op("sum.dim_IntList(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
       kernels={"cpu": "fn:ms_reduction.sum_", "gpu": "fn:ms_reduction.sum_", "ascend": "mint:sum",
                "host": "fn:np_reduction.sum_"},
       variants=("function", "method", "out"), promote="sum", check="checks_reduction.dims",
       backward={"self": "reduce_grad(grad, self, dim, keepdim)"},
       samples=sample([tensor(), dims(0)], kwargs=_KEEP, dtypes=ALL,
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    _reduce("mean", "mean.dim(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
            {"self": "reduce_grad(grad, self, dim, keepdim) / numel_of(self, dim)"},
            sample([tensor(), dims(0)], kwargs=_KEEP, dtypes=FLOAT,
                   invalid=[call(tensor(shape=(2, 3), dtype="int64")), call(tensor(shape=(2, 3)), 2)]),
            check="checks_reduction.mean"),
]
