"""Reductions over dimensions and scans along one."""
from ops_table.spec import op
from ops_table.samples import ALL, FLOAT, NUMERIC, call, choice, custom, dim, dims, sample, tensor
from . import checks, composites, host, ms

_KEEP = {"keepdim": choice(False, True)}
_ALL4 = ("function", "method", "out")


def _k(name, ascend=None, host_kernel=True):
    ks = {"default": getattr(ms, name)}
    if ascend:
        ks["ascend"] = ascend
    if host_kernel:
        ks["host"] = getattr(host, name)
    return ks


def _reduce(name, schema, backward, samples, promote="same", check=checks.dims, host_kernel=None):
    return op(schema, kernels={"default": getattr(ms, name), "ascend": f"mint:{name.rstrip('_')}",
                               "host": host_kernel or getattr(host, name)},
              variants=_ALL4, promote=promote, backward=backward, samples=samples, check=check)


def _minmax(name):
    # `other` before `dim`: with promote="none" the binder refuses a number for `other`, while
    # the int converter would take a one-element integer tensor as a dim.
    return op([f"{name}(Tensor self) -> Tensor",
               f"{name}.other(Tensor self, Tensor other) -> Tensor",
               f"{name}.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)"],
              kernels=_k(f"{name}_", ascend=f"mint:{name}"), variants=_ALL4, nondiff_outputs=(1,), promote="none",
              check=getattr(checks, f"{name}_"),
              backward=[{"self": f"minmax_backward(grad, self, result, results, None, None, False, '{name}')"},
                        {"self": f"minmax_backward(grad, self, result, results, other, None, False, '{name}')",
                         "other": f"minmax_other_backward(grad, self, other, '{name}')"},
                        {"self": f"minmax_backward(grad, self, result, results, None, dim, keepdim, '{name}')"}],
              samples=sample([tensor(unique=True), custom("minmax_rest")], dtypes=NUMERIC + ("bool",),
                             invalid=[call(tensor(shape=(2, 3)), 2), call(tensor(shape=(0, 3)))]))


def _amax(name):
    return op(f"{name}(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor",
              kernels=_k(name, ascend=f"mint:{name}"), variants=_ALL4, check=getattr(checks, name),
              backward={"self": "ties_backward(grad, self, result, dim, keepdim)"},
              samples=sample([tensor(), custom("reduce_dims_nonempty")], kwargs=_KEEP, dtypes=NUMERIC,
                             invalid=[call(tensor(shape=(2, 3)), 2), call(tensor(shape=(0, 3)), 0)]),
              compute_dtypes={"bool": "uint8"})


def _arg(name):
    return op(f"{name}(Tensor self, int? dim=None, bool keepdim=False) -> Tensor",
              kernels=_k(name, ascend=f"mint:{name}"), variants=_ALL4, promote="int64",
              check=getattr(checks, name), backward="nondiff",
              samples=sample([tensor(unique=True), custom("opt_dim_nonempty")], kwargs=_KEEP, dtypes=NUMERIC,
                             invalid=[call(tensor(shape=(2, 3)), 2), call(tensor(shape=(0, 3)))]),
              compute_dtypes={"bool": "uint8"})


def _all_any(name):
    return op([f"{name}(Tensor self) -> Tensor",
               f"{name}.dim(Tensor self, int dim, bool keepdim=False) -> Tensor",
               f"{name}.dims(Tensor self, int[1]? dim=None, bool keepdim=False) -> Tensor"],
              kernels=_k(f"{name}_", ascend=f"mint:{name}"), variants=_ALL4, promote="none",
              check=checks.any_dims, backward="nondiff",
              samples=sample([tensor(low=-1, high=1), dims(0)], kwargs=_KEEP, dtypes=("bool", "float32", "int64",
                                                                                       "uint8"),
                             invalid=[call(tensor(shape=(2, 3)), 2)]))


def _moments(name, returns):
    schemas = [f"{name}.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> {returns}",
               f"{name}(Tensor self, bool unbiased=True) -> {returns}",
               f"{name}.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)"
               f" -> {returns}"]
    samples = sample([tensor(), dims(0)], kwargs={"correction": choice(0, 1, 2), "keepdim": choice(False, True)},
                     dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3), dtype="int64")), call(tensor(shape=(2, 3)), 2)])
    if "(" in returns:
        return op(schemas, composite=getattr(composites, name), variants=("function",), promote="none", samples=samples)
    # (unbiased, dim, correction, keepdim) per overload in schema order, then whether correction decides.
    per_overload = (("unbiased, dim, None, keepdim", False), ("unbiased, None, None, False", False),
                    ("None, dim, correction, keepdim", True))
    return op(schemas, kernels=_k(name), variants=_ALL4,
              check=checks.moments,
              backward=[{"self": f"moments_backward(grad, self, result, {a}, '{name}', {fc})"}
                        for a, fc in per_overload],
              samples=samples)


def _scan(name, formula):
    return op(f"{name}(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor",
              kernels=_k(name, ascend=f"mint:{name}"), variants=("function", "method", "inplace", "out"),
              promote="sum", check=checks.one_dim, backward={"self": formula},
              samples=sample([tensor(low=-2, high=2), dim(0)], dtypes=NUMERIC + ("bool",),
                             invalid=[call(tensor(shape=(2, 3)), 2)]))


def _cumext(name):
    return op(f"{name}(Tensor self, int dim) -> (Tensor values, Tensor indices)",
              kernels=_k(name, ascend=f"ops:{name}"), variants=("function", "method", "out"),
              check=checks.one_dim, nondiff_outputs=(1,),
              backward={"self": "onehot_scatter(grad, results[1], dim, self.shape)"},
              samples=sample([tensor(low=-3, high=3), dim(0)], dtypes=NUMERIC,
                             invalid=[call(tensor(shape=(2, 3)), 2)]))


ENTRIES = [
    op("sum.dim_IntList(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
       kernels={"default": ms.sum_, "ascend": "mint:sum", "host": host.sum_},
       variants=_ALL4, promote="sum", check=checks.dims,
       backward={"self": "reduce_grad(grad, self, dim, keepdim)"},
       samples=sample([tensor(), dims(0)], kwargs=_KEEP, dtypes=ALL,
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    _reduce("mean", "mean.dim(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
            {"self": "reduce_grad(grad, self, dim, keepdim) / numel_reduced(self, dim)"},
            sample([tensor(), dims(0)], kwargs=_KEEP, dtypes=FLOAT,
                   invalid=[call(tensor(shape=(2, 3), dtype="int64")), call(tensor(shape=(2, 3)), 2)]),
            check=checks.mean),
    op(["prod(Tensor self, *, ScalarType? dtype=None) -> Tensor",
        "prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor"],
       kernels=_k("prod", ascend="mint:prod"), variants=_ALL4, promote="sum", check=checks.any_dims,
       backward=[{"self": "prod_backward(grad, self, result, None, False)"},
                 {"self": "prod_backward(grad, self, result, dim, keepdim)"}],
       samples=sample([tensor(low=-2, high=2), custom("opt_dim_args")], dtypes=NUMERIC + ("bool",),
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    _minmax("max"),
    _minmax("min"),
    _amax("amax"),
    _amax("amin"),
    op("aminmax(Tensor self, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)",
       kernels=_k("aminmax"), variants=_ALL4, check=checks.aminmax,
       backward={"self": "ties_backward(grads[0], self, results[0], dim, keepdim) + "
                         "ties_backward(grads[1], self, results[1], dim, keepdim)"},
       samples=sample([tensor(unique=True)], kwargs={"dim": custom("opt_dim_nonempty"), "keepdim": choice(False, True)},
                      dtypes=NUMERIC, invalid=[call(tensor(shape=(0, 3)))]),
       compute_dtypes={"bool": "uint8"}),
    _arg("argmax"),
    _arg("argmin"),
    _all_any("all"),
    _all_any("any"),
    _moments("var", "Tensor"),
    _moments("std", "Tensor"),
    _moments("var_mean", "(Tensor, Tensor)"),
    _moments("std_mean", "(Tensor, Tensor)"),
    op("logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor",
       composite=composites.logsumexp, variants=_ALL4, promote="none",
       samples=sample([tensor(), custom("reduce_dims_some")], kwargs=_KEEP, dtypes=FLOAT + ("int64",),
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    op(["count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor",
        "count_nonzero(Tensor self, int? dim=None) -> Tensor"],
       composite=composites.count_nonzero, variants=("function", "method"), promote="none",
       samples=sample([tensor(low=-1, high=1), custom("opt_dim")], dtypes=("float32", "int64", "bool"),
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    op("nansum(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
       composite=composites.nansum, variants=_ALL4, promote="none",
       samples=sample([custom("with_nans"), dims(0)], kwargs=_KEEP, dtypes=FLOAT + ("int64",),
                      invalid=[call(tensor(shape=(2, 3)), 2)])),
    op("nanmean(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
       composite=composites.nanmean, variants=_ALL4, promote="none",
       samples=sample([custom("with_nan_single"), dims(0)], kwargs=_KEEP, dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3), dtype="int64"))])),
    _scan("cumsum", "reverse_cumsum(grad, dim)"),
    _scan("cumprod", "cumprod_backward(grad, self, result, dim)"),
    _cumext("cummax"),
    _cumext("cummin"),
    op(["median(Tensor self) -> Tensor",
        "median.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)"],
       kernels=_k("median"), variants=_ALL4, nondiff_outputs=(1,),
       promote="same",
       check=checks.median,
       backward=[{"self": "evenly_distribute_backward(grad, self, result)"},
                 {"self": "select_backward(grad, results[1], dim, self.shape, keepdim)"}],
       samples=sample([tensor(unique=True), custom("opt_dim_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(0, 3)), 0)])),
    op(["nanmedian(Tensor self) -> Tensor",
        "nanmedian.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)"],
       kernels=_k("nanmedian"), variants=_ALL4,
       nondiff_outputs=(1,), promote="same", check=checks.median,
       backward=[{"self": "evenly_distribute_backward(grad, self, result)"},
                 {"self": "select_backward(grad, results[1], dim, self.shape, keepdim)"}],
       samples=sample([custom("with_nans"), custom("opt_dim_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(0, 3)), 0)])),
    # NumPy's logaddexp.accumulate: PyTorch's NaN, +inf and all -inf answers, no underflow from
    # a shared shift. The backward is PyTorch's (a reversed logcumsumexp of log|grad| - result),
    # so NaN appears where PyTorch's does (at an inf input, or -inf leading a slice).
    op("logcumsumexp(Tensor self, int dim) -> Tensor", kernels=_k("logcumsumexp"), variants=_ALL4,
       promote="none", check=checks.one_dim,
       backward={"self": "logcumsumexp_backward(grad, self, result, dim)"},
       samples=sample([tensor(), dim(0)], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), 2),
                                                               call(tensor(shape=(2, 3), dtype="int64"), 0)])),
]
