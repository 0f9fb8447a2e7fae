"""Random ops, bit-identical to PyTorch's CPU generator (state: dispatch/random;
kernels: ops_table/random/torch_streams).

Every entry takes a `Generator? generator`: the dispatcher puts the default
generator there when the call gives none, and the kernels draw from it on the host.
In-place fills (`x.uniform_()`...) are inplace-only entries named after ATen's
functional ops (`aten::uniform`, `aten::normal_functional`, ...), which the parity
suite calls out of place.  Parity samples seed both generators with one seed
(custom("rng_seed")), so values are compared element for element."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, custom, integer, real, sample, tensor
from . import composites, kernels

_FACT = "Layout? layout=None, Device? device=None, bool? pin_memory=None, bool requires_grad=False"
_LIKE = _FACT + ", MemoryFormat? memory_format=None"
_ZERO = "T.zeros_like(grad)"
_SEED = custom("rng_seed")
_CHECK =kernels.check_generator


def _k(name):
    ks = {"default": getattr(kernels, f"{name}_ms")}
    ks["host"] = getattr(kernels, f"{name}_host")
    return ks


def _fill(schema, kernel, extra, invalid, dtypes=FLOAT, alias=(), doc=None):
    """An in-place random fill: `x.<name>_(...)` (values as torch writes them into x's layout)."""
    return op(schema, kernels=_k(kernel), variants=("inplace",), aliases=alias, promote="none",
              backward={"self": _ZERO}, check=_CHECK, doc=doc,
              samples=sample([_SEED, custom("fill_target")] + extra, dtypes=dtypes, grad=False, method=False, invalid=invalid))


ENTRIES = [
    # ---- factories ----
    op(f"rand(SymInt[] size, *, Generator? generator=None, ScalarType? dtype=None, {_FACT}) -> Tensor",
       kernels=_k("rand"), variants=("function",), promote="none", backward="nondiff", factory_dtype="float",
       check=_CHECK,
       samples=sample([_SEED, custom("size")], kwargs={"dtype": choice("float32", "float64", "float16")},
                      grad=False, method=False, invalid=[call((-1, 2)), call((2,), dtype="int64")])),
    op(f"randn(SymInt[] size, *, Generator? generator=None, ScalarType? dtype=None, {_FACT}) -> Tensor",
       kernels=_k("randn"), variants=("function",), promote="none", backward="nondiff", factory_dtype="float",
       check=_CHECK,
       samples=sample([_SEED, custom("size")], kwargs={"dtype": choice("float32", "float64", "float16")},
                      grad=False, method=False, invalid=[call((-1, 2)), call((2,), dtype="int32")])),
    op([f"randint(SymInt high, SymInt[] size, *, Generator? generator=None, ScalarType? dtype=None, {_FACT}) "
        "-> Tensor",
        f"randint.low(SymInt low, SymInt high, SymInt[] size, *, Generator? generator=None, "
        f"ScalarType? dtype=None, {_FACT}) -> Tensor"],
       kernels=_k("randint"), variants=("function",), promote="none", backward="nondiff", check=_CHECK,
       samples=sample([_SEED, custom("randint_args")],
                      kwargs={"dtype": choice("int64", "int32", "int16", "uint8", "float32", "float64")},
                      grad=False, method=False, invalid=[call(5, 2, (3,)), call(0, (-1,))])),
    op(f"randperm(SymInt n, *, Generator? generator=None, ScalarType? dtype=None, {_FACT}) -> Tensor",
       kernels=_k("randperm"), variants=("function",), promote="none", backward="nondiff", check=_CHECK,
       samples=sample([_SEED, integer(0, 40)], kwargs={"dtype": choice("int64", "int32", "float32", "float64")},
                      grad=False, method=False, invalid=[call(-1)])),
    op(f"rand_like(Tensor self, *, Generator? generator=None, ScalarType? dtype=None, {_LIKE}) -> Tensor",
       composite=composites.rand_like, variants=("function",), promote="none", backward="nondiff", check=_CHECK,
       samples=sample([_SEED, tensor()], dtypes=("float32", "float64", "float16"), grad=False, method=False,
                      invalid=[call(tensor(dtype="int64"))])),
    op(f"randn_like(Tensor self, *, Generator? generator=None, ScalarType? dtype=None, {_LIKE}) -> Tensor",
       composite=composites.randn_like, variants=("function",), promote="none", backward="nondiff",
       check=_CHECK,
       samples=sample([_SEED, tensor()], dtypes=("float32", "float64", "float16"), grad=False, method=False,
                      invalid=[call(tensor(dtype="int32"))])),
    op([f"randint_like(Tensor self, SymInt high, *, Generator? generator=None, ScalarType? dtype=None, {_LIKE}) "
        "-> Tensor",
        f"randint_like.low_dtype(Tensor self, SymInt low, SymInt high, *, Generator? generator=None, "
        f"ScalarType? dtype=None, {_LIKE}) -> Tensor"],
       composite=composites.randint_like, variants=("function",), promote="none", backward="nondiff",
       check=_CHECK,
       samples=sample([_SEED, tensor(), custom("randint_like_bounds")], dtypes=NUMERIC, grad=False, method=False,
                      invalid=[call(tensor(), 5, 2)])),
    # The Tensor overloads carry a `dtype` they ignore: the dispatcher resolves a factory
    # dtype for every overload of an entry with factory_dtype and needs the slot there.
    op(["normal.Tensor_Tensor(Tensor mean, Tensor std, *, Generator? generator=None, ScalarType? dtype=None) "
        "-> Tensor",
        "normal.Tensor_float(Tensor mean, float std=1, *, Generator? generator=None, ScalarType? dtype=None) "
        "-> Tensor",
        "normal.float_Tensor(float mean, Tensor std, *, Generator? generator=None, ScalarType? dtype=None) "
        "-> Tensor",
        f"normal.float_float(float mean, float std, SymInt[] size, *, Generator? generator=None, "
        f"ScalarType? dtype=None, {_FACT}) -> Tensor"],
       kernels=_k("normal"), variants=("function",), promote="none", factory_dtype="float", check=_CHECK,
       backward={"mean": "T.zeros_like(mean)", "std": "T.zeros_like(std)"},
       samples=sample([_SEED, custom("normal_args")], grad=True, method=False,
                      invalid=[call(tensor(), -1.0), call(0.0, -1.0, (2,))])),
    op(["bernoulli(Tensor self, *, Generator? generator=None) -> Tensor",
        "bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor"],
       kernels=_k("bernoulli"), variants=("function", "method"), promote="none", check=_CHECK,
       # torch.bernoulli(x, p) records a node whose backward fails.
       backward=[{"self": "T.zeros_like(self)"},
                 {"self": "derivative_not_implemented('aten::bernoulli', p)"}],
       samples=sample([_SEED, custom("bernoulli_args")], dtypes=("float32", "float64", "float16"), low=0, high=1,
                      invalid=[call(tensor(), 1.5)])),
    op(["multinomial(Tensor self, SymInt num_samples, bool replacement=False, *, Generator? generator=None) "
        "-> Tensor"],
       kernels=_k("multinomial"), variants=("function", "method"), promote="none", backward="nondiff",
       check=_CHECK,
       samples=sample([_SEED, custom("multinomial_args")], grad=False,
                      invalid=[call(tensor(shape=(3,), low=0, high=1), 0), call(tensor(shape=(3,), low=0, high=1), 4)])),

    # ---- in-place fills ----
    _fill("uniform(Tensor self, float from=0, float to=1, *, Generator? generator=None) -> Tensor", "uniform",
          [custom("uniform_bounds")], [call(tensor(), 3.0, 1.0), call(tensor(dtype="int64"))],
          dtypes=("float32", "float64", "float16")),
    # torch.normal is another entry; `normal_functional` is ATen's name for the functional
    # `normal_`, and the alias gives Tensor.normal_.
    _fill("normal_functional(Tensor self, float mean=0, float std=1, *, Generator? generator=None) -> Tensor",
          "normal_functional", [real(-3, 3), real(0, 4)], [call(tensor(), 0.0, -1.0)],
          dtypes=("float32", "float64", "float16"), alias=("normal",)),
    _fill(["random.from(Tensor self, int from, int? to, *, Generator? generator=None) -> Tensor",
           "random.to(Tensor self, int to, *, Generator? generator=None) -> Tensor",
           "random(Tensor self, *, Generator? generator=None) -> Tensor"], "random",
          [custom("random_bounds")], [call(tensor(), 5, 2)], dtypes=NUMERIC + ("int16", "uint8", "bool")),
    _fill("exponential(Tensor self, float lambd=1, *, Generator? generator=None) -> Tensor", "exponential",
          [real(0.125, 5)], [call(tensor(), -1.0), call(tensor(dtype="int64"))]),
    _fill("cauchy(Tensor self, float median=0, float sigma=1, *, Generator? generator=None) -> Tensor", "cauchy",
          [real(-3, 3), real(0.125, 4)], [call(tensor(), 0.0, 0.0)]),
    _fill("log_normal(Tensor self, float mean=1, float std=2, *, Generator? generator=None) -> Tensor",
          "log_normal", [real(-1, 1), real(0.125, 2)], [call(tensor(), 0.0, -2.0)]),
    _fill("geometric(Tensor self, float p, *, Generator? generator=None) -> Tensor", "geometric",
          [real(0.0625, 0.9375)], [call(tensor(), 1.5)], dtypes=NUMERIC),
    # `bernoulli_` is its own entry (torch.bernoulli(x) reads p from x, x.bernoulli_() has
    # p=0.5); named after the ATen op so that the parity suite can call it, and aliased so
    # that the method is Tensor.bernoulli_.  The Tensor-p overload comes first, as in
    # torch's argument parser: a one-element p tensor must not become a float.
    op(["bernoulli_.Tensor(Tensor self, Tensor p, *, Generator? generator=None) -> Tensor",
        "bernoulli_.float(Tensor self, float p=0.5, *, Generator? generator=None) -> Tensor"],
       kernels=_k("bernoulli_inplace"), variants=("inplace",), aliases=("bernoulli",), promote="none",
       check=_CHECK, backward={"self": _ZERO, "p": "T.zeros_like(p)"},
       samples=sample([_SEED, custom("fill_target"), custom("bernoulli_inplace_p")], dtypes=NUMERIC, grad=False, method=False,
                      invalid=[call(tensor(), 1.5), call(tensor(), tensor(shape=(5, 7)))])),
]
