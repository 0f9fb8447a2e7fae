"""Pointwise math: arithmetic, comparison, logical, trigonometric and special functions, bitwise ops,
float classification."""
from ops_table.spec import op
from ops_table.samples import FLOAT, FLOAT_AND_HALF, NUMERIC, call, choice, sample, scalar_of, tensor
from . import composites, host, ms
from ops_table.common import checks_int, erfinv_math

_BINARY = sample([tensor(), tensor(bcast=True)], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])


def _unary(name, prim, backward, *, host=None, dtypes=FLOAT_AND_HALF, low=-5, high=5, promote="float", aliases=(),
           ns=("torch",), extra_kernels=None):
    kernels = {"default": [f"prim:{prim}"], "ascend": [f"mint:{name}"]}
    if host:
        kernels["host"] = [host]
    if extra_kernels:
        kernels.update(extra_kernels)
    return op(f"{name}(Tensor self) -> Tensor", kernels=kernels,
              variants=("function", "method", "inplace", "out"), promote=promote, aliases=aliases,
              namespaces=ns, backward={"self": backward} if backward else "nondiff",
              samples=sample([tensor(low=low, high=high)], dtypes=dtypes))


_ALL4 = ("function", "method", "inplace", "out")


_INTS = ("int64", "int32", "int16", "uint8")


_BAD_BCAST = [call(tensor(shape=(2, 3)), tensor(shape=(4,)))]


# Ops mindspore.mint 2.10 does not have (tests/test_ops_table.py checks every declared
# candidate): on Ascend they are declared with the same legacy-primitive kernel as on CPU.
_NO_MINT = {"lgamma", "digamma", "deg2rad", "rad2deg", "sgn", "angle", "polygamma", "logit", "hypot", "copysign",
            "heaviside", "fmax", "fmin", "lcm", "bitwise_left_shift", "bitwise_right_shift", "clamp_min",
            "clamp_max", "isposinf", "signbit"}


def _k_more(fn, prim=None, host_fn=None, ascend=None):
    default = f"prim:{prim}" if prim else getattr(ms, fn)
    k = {"default": default}
    if ascend or fn not in _NO_MINT:
        k["ascend"] = ascend or f"mint:{fn}"
    if host_fn:
        k["host"] = getattr(host, host_fn) if isinstance(host_fn, str) and ":" not in host_fn else host_fn
    return k


def _unary_more(name, prim, backward, host=None, low=-5, high=5, promote="float", aliases=(), dtypes=FLOAT,
           fn=None, variants=_ALL4, ascend=None):
    return op(f"{name}(Tensor self) -> Tensor", kernels=_k_more(fn or name, None if fn else prim, host, ascend),
              variants=variants, promote=promote, aliases=aliases,
              backward={"self": backward} if backward else "nondiff",
              samples=sample([tensor(low=low, high=high)], dtypes=dtypes))


def _binary_more(name, backward, host=None, promote="same", aliases=(), dtypes=NUMERIC, low=-5, high=5, prim=None,
            other_low=None, other_high=None, dunders=(), variants=_ALL4, invalid=None):
    return op(f"{name}(Tensor self, Tensor other) -> Tensor", kernels=_k_more(name, prim, host),
              variants=variants, promote=promote, aliases=aliases, dunders=dunders,
              backward=backward or "nondiff",
              samples=sample([tensor(), tensor(bcast=True, low=other_low, high=other_high)], dtypes=dtypes, low=low,
                             high=high, invalid=_BAD_BCAST if invalid is None else invalid))


_FM = ("function", "method")


# tan, i0 and i1 declare their kernel for every MindSpore backend (`default`): mint 2.10 has
# no twin for them.


def _comp(schema, name, samples, variants=_FM, namespaces=("torch",), aliases=()):
    return op(schema, composite=getattr(composites, name), variants=variants, promote="none", samples=samples,
              namespaces=namespaces, aliases=aliases)


ENTRIES = [
    op("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
       kernels={"default": ms.add, "ascend": "mint:add", "host": host.add},
       variants=("function", "method", "inplace", "out"), dunders=("__add__", "__radd__", "__iadd__"),
       check=checks_int.alpha,
       backward={"self": "grad", "other": "grad if alpha == 1 else grad * alpha"},
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"alpha": choice(1, 2)}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
       kernels={"default": ms.sub, "ascend": "mint:sub", "host": host.sub},
       variants=("function", "method", "inplace", "out"), dunders=("__sub__", "__rsub__", "__isub__"),
       check=checks_int.alpha,
       aliases=("subtract",),
       backward={"self": "grad", "other": "-grad if alpha == 1 else grad * (-alpha)"},
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"alpha": choice(1, 3)}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("mul.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels={"default": "prim:Mul", "ascend": "mint:mul", "host": "np:multiply"},
       variants=("function", "method", "inplace", "out"), dunders=("__mul__", "__rmul__", "__imul__"),
       aliases=("multiply",),
       backward={"self": "grad * conj_if_complex(other)", "other": "grad * conj_if_complex(self)"},
       samples=_BINARY),
    op("div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode=None) -> Tensor",
       kernels={"default": ms.div, "ascend": "mint:div", "host": host.div},
       variants=("function", "method", "inplace", "out"), dunders=("__truediv__", "__rtruediv__", "__itruediv__"),
       aliases=("divide", "true_divide"), promote="float_unless_rounded",
       backward={"self": "grad / conj_if_complex(other) if rounding_mode is None else grad * 0",
                 "other": "-grad * conj_if_complex(self / (other * other)) if rounding_mode is None else grad * 0"},
       samples=sample([tensor(), tensor(bcast=True, low=0.5, high=5)],
                      kwargs={"rounding_mode": choice(None, "floor", "trunc")}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("floor_divide(Tensor self, Tensor other) -> Tensor",
       kernels={"default": ms.floor_divide, "ascend": "mint:floor_divide", "host": host.floor_divide},
       variants=("function", "method", "inplace", "out"), dunders=("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
       backward={"self": "not_implemented('floor_divide')", "other": "not_implemented('floor_divide')"},
       samples=sample([tensor(), tensor(bcast=True, low=1, high=5)], dtypes=NUMERIC)),
    op("remainder.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels={"default": ms.remainder, "ascend": "mint:remainder", "host": host.remainder},
       variants=("function", "method", "inplace", "out"), dunders=("__mod__", "__rmod__", "__imod__"),
       backward={"self": "grad", "other": "-grad * T.floor_divide(self, other)"},
       samples=sample([tensor(), tensor(bcast=True, low=1, high=5)], dtypes=NUMERIC)),
    op("pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
       kernels={"default": ms.pow_, "ascend": "mint:pow", "host": host.pow_},
       variants=("function", "method", "inplace", "out"), dunders=("__pow__", "__rpow__", "__ipow__"),
       check=checks_int.pow_,
       backward={"self": "grad * exponent * T.pow(self, exponent - 1)",
                 "exponent": "grad * result * T.log(self)"},
       samples=sample([tensor(low=0.5, high=3), tensor(bcast=True, low=-2, high=2)], dtypes=NUMERIC)),
    op("neg(Tensor self) -> Tensor",
       kernels={"default": "prim:Neg", "ascend": "mint:neg", "host": "np:negative"},
       variants=("function", "method", "inplace", "out"), dunders=("__neg__",), aliases=("negative",),
       backward={"self": "-grad"}, samples=sample([tensor()], dtypes=NUMERIC)),
    # promote="none": abs of a complex tensor is real (ms.abs picks ComplexAbs for it).
    op("abs(Tensor self) -> Tensor",
       kernels={"default": ms.abs, "ascend": "mint:abs", "host": host.abs},
       variants=("function", "method", "inplace", "out"), dunders=("__abs__",), aliases=("absolute",),
       promote="none", backward={"self": "grad * T.sgn(self)"},
       samples=sample([tensor()], dtypes=NUMERIC + ("complex64", "complex128"))),
    op("sign(Tensor self) -> Tensor",
       kernels={"cpu": ms.sign, "ascend": "mint:sign", "gpu": "prim:Sign", "host": "np:sign"},
       variants=("function", "method", "inplace", "out"),
       backward={"self": "grad * 0"}, samples=sample([tensor()], dtypes=NUMERIC)),
    _unary("exp", "Exp", "grad * result", host="np:exp", extra_kernels={"cpu": [ms.exp]}),
    _unary("log", "Log", "grad / self", host=host.log, low=0.1, high=5),
    _unary("sqrt", "Sqrt", "grad / (2 * result)", host=host.sqrt, low=0.1, high=5),
    _unary("rsqrt", "Rsqrt", "-0.5 * grad * result * result * result", host=host.rsqrt, low=0.1,
           high=5),
    _unary("sin", "Sin", "grad * T.cos(self)", host="np:sin"),
    _unary("cos", "Cos", "-grad * T.sin(self)", host="np:cos"),
    _unary("tanh", "Tanh", "grad * (1 - result * result)", host="np:tanh",
           extra_kernels={"cpu": [ms.tanh]}),
    _unary("sigmoid", "Sigmoid", "grad * result * (1 - result)", host=host.sigmoid,
           extra_kernels={"cpu": [ms.sigmoid]}),
    _unary("reciprocal", "Reciprocal", "-grad * result * result", host=host.reciprocal, low=0.5, high=5),
    _unary("floor", "Floor", "grad * 0", host=host.floor, promote="same", dtypes=NUMERIC,
           extra_kernels={"default": [ms.floor]}),
    _unary("ceil", "Ceil", "grad * 0", host=host.ceil, promote="same", dtypes=NUMERIC,
           extra_kernels={"default": [ms.ceil]}),
    _unary("trunc", "Trunc", "grad * 0", host=host.trunc, promote="same", dtypes=NUMERIC,
           extra_kernels={"default": [ms.trunc]}, aliases=("fix",)),
    op("relu(Tensor self) -> Tensor",
       kernels={"default": ms.relu, "ascend": "mint:nn.functional.relu", "host": host.relu},
       # F.relu takes inplace=; it is mstorch/impl/torch/nn/functional.py's, over this op.
       variants=("function", "method", "inplace"), namespaces=("torch",),
       # A multiplication by the mask: MindSpore's CPU Select on large tensors is ~25x a Mul.
       # PyTorch's threshold_backward: zero where result <= 0, so a NaN passes its gradient.
       backward={"self": "grad * T.logical_not(result <= 0).to(grad.dtype)"},
       samples=sample([tensor()], dtypes=NUMERIC)),
    op("round.decimals(Tensor self, *, int decimals=0) -> Tensor",
       kernels={"default": ms.round_, "ascend": "mint:round", "host": host.round_},
       variants=("function", "method", "inplace", "out"), backward={"self": "grad * 0"},
       samples=sample([tensor()], kwargs={"decimals": choice(0)}, dtypes=FLOAT)),
    op("clamp(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor",
       kernels={"default": ms.clamp, "ascend": "mint:clamp", "host": host.clamp},
       variants=("function", "method", "inplace", "out"), aliases=("clip",),
       check=checks_int.clamp,
       backward={"self": "T.where(result == self, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float", "int")), scalar_of(("float", "int"))], dtypes=NUMERIC)),
    op("_where(Tensor condition, Tensor self, Tensor other) -> Tensor",
       kernels={"cpu": ms.where_via_host, "ascend": "mint:where", "gpu": ms.where,
                "host": host.where},
       variants=(), promote="none",
       # a 0-d zero broadcasts: no full-size zeros tensor per backward
       backward={"self": "T.where(condition, grad, grad.new_zeros(()))",
                 "other": "T.where(condition, grad.new_zeros(()), grad)"},
       samples=sample([tensor(dtype="bool"), tensor(bcast=True), tensor(bcast=True)], dtypes=NUMERIC, method=False,
                      oracle="torch.where")),
    # torch.where has a one-argument form (nonzero as a tuple), so the public op is a
    # composite choosing between the two.
    op(["where.self(Tensor condition, Tensor self, Tensor other) -> Tensor",
        "where(Tensor condition) -> Tensor[]"],
       composite=composites.where,
       variants=("function", "method"), promote="none",
       samples=sample([tensor(dtype="bool"), tensor(bcast=True), tensor(bcast=True)], dtypes=NUMERIC, method=False)),
    # --- from pointwise_more.py ---
    _unary_more("asin", "Asin", "grad * T.rsqrt(1 - self * self)", "np:arcsin", -0.9, 0.9, aliases=("arcsin",)),
    _unary_more("acos", "ACos", "-grad * T.rsqrt(1 - self * self)", "np:arccos", -0.9, 0.9, aliases=("arccos",)),
    _unary_more("atan", "Atan", "grad / (1 + self * self)", "np:arctan", aliases=("arctan",)),
    _unary_more("sinh", "Sinh", "grad * T.cosh(self)", "np:sinh", -3, 3),
    _unary_more("cosh", "Cosh", "grad * T.sinh(self)", "np:cosh", -3, 3),
    _unary_more("asinh", "Asinh", "grad * T.rsqrt(self * self + 1)", "np:arcsinh", aliases=("arcsinh",)),
    _unary_more("acosh", "Acosh", "grad * T.rsqrt(self * self - 1)", "np:arccosh", 1.1, 5, aliases=("arccosh",)),
    _unary_more("atanh", "Atanh", "grad / (1 - self * self)", "np:arctanh", -0.9, 0.9, aliases=("arctanh",)),
    _unary_more("expm1", "Expm1", "grad * (result + 1)", "np:expm1", -3, 3, aliases=("special_expm1",)),
    _unary_more("log1p", "Log1p", "grad / (self + 1)", "np:log1p", -0.9, 5),
    _unary_more("log2", None, "grad / (self * 0.6931471805599453)", "log2", 0.1, 5, fn="log2"),
    _unary_more("log10", None, "grad / (self * 2.302585092994046)", "np:log10", 0.1, 5, fn="log10"),
    _unary_more("exp2", None, "grad * result * 0.6931471805599453", "exp2", -3, 3, fn="exp2"),
    _unary_more("erf", "Erf", "grad * 1.1283791670955126 * T.exp(-self * self)", "erf", -3, 3),
    _unary_more("erfc", "Erfc", "grad * -1.1283791670955126 * T.exp(-self * self)", "erfc", -3, 3),
    _unary_more("erfinv", None, "grad * 0.886226925452758 * T.exp(result * result)", erfinv_math.erfinv, -0.9, 0.9,
           fn="erfinv"),
    _unary_more("lgamma", "Lgamma", "grad * T.digamma(self)", "lgamma", 0.1, 5),
    _unary_more("digamma", None, "grad * T.polygamma(1, self)", "digamma", 0.5, 5, fn="digamma"),
    _unary_more("square", "Square", "2 * grad * self", "np:square", promote="same", dtypes=NUMERIC),
    _unary_more("frac", None, "grad", "frac", promote="same", fn="frac"),
    _unary_more("deg2rad", None, "grad * 0.017453292519943295", "deg2rad", promote="float", fn="deg2rad"),
    _unary_more("rad2deg", None, "grad * 57.29577951308232", "rad2deg", promote="float", fn="rad2deg"),
    op("sgn(Tensor self) -> Tensor", kernels=_k_more("sgn", host_fn="sgn"), variants=_ALL4, promote="same",
       backward={"self": "grad * 0"},
       # torch's own sgn gradient is a ZeroTensor that cannot be read back: no grad parity here
       samples=sample([tensor()], dtypes=NUMERIC, grad=False)),
    # promote="none": the kernels return PyTorch's dtypes (float32 for integers, real for complex).
    _unary_more("angle", None, "angle_backward(grad, self)", "angle", promote="none", fn="angle",
           variants=("function", "method", "out"), dtypes=FLOAT + ("int64", "complex64", "complex128")),
    op("polygamma(int n, Tensor self) -> Tensor", kernels=_k_more("polygamma", host_fn="polygamma"),
       variants=("function", "method", "out"), promote="float",
       backward={"self": "grad * T.polygamma(n + 1, self)"},
       samples=sample([choice(0, 1, 2), tensor(low=0.5, high=5)], dtypes=FLOAT, method=False)),
    op("nan_to_num(Tensor self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor",
       kernels=_k_more("nan_to_num", host_fn="nan_to_num"), variants=_ALL4, promote="same",
       backward={"self": "grad * T.isfinite(self)"},
       samples=sample([tensor()], kwargs={"nan": choice(None, 1.5), "posinf": choice(None, 9.0)},
                      dtypes=NUMERIC)),
    op("logit(Tensor self, float? eps=None) -> Tensor",
       kernels=_k_more("logit", host_fn="logit"), variants=_ALL4, promote="float",
       backward={"self": "logit_backward(grad, self, eps)"},
       samples=sample([tensor(low=0.05, high=0.95), choice(None, 0.1)], dtypes=FLOAT)),
    op("sinc(Tensor self) -> Tensor", kernels=_k_more("sinc", "Sinc", "np:sinc"), variants=_ALL4, promote="float",
       backward={"self": "sinc_backward(grad, self)"}, samples=sample([tensor()], dtypes=FLOAT)),
    op("positive(Tensor(a) self) -> Tensor(a)",
       composite=composites.positive,
       variants=("function", "method"), promote="none", dunders=("__pos__",),
       samples=sample([tensor()], dtypes=NUMERIC, invalid=[call(tensor(shape=(2,), dtype="bool"))])),
    _binary_more("atan2", {"self": "grad * other / (self * self + other * other)",
                      "other": "-grad * self / (self * self + other * other)"},
            host="atan2", promote="float", aliases=("arctan2",), dtypes=FLOAT, prim="Atan2"),
    _binary_more("hypot", {"self": "grad * self / result", "other": "grad * other / result"},
            host="hypot", dtypes=FLOAT),
    op("fmod.Tensor(Tensor self, Tensor other) -> Tensor", kernels=_k_more("fmod", host_fn="fmod"), variants=_ALL4,
       backward={"self": "grad", "other": "-grad * T.trunc(self / other)"},
       samples=sample([tensor(), tensor(bcast=True, low=0.5, high=3)], dtypes=NUMERIC, invalid=_BAD_BCAST)),
    op("xlogy.Tensor(Tensor self, Tensor other) -> Tensor", kernels=_k_more("xlogy", host_fn="xlogy"),
       variants=_ALL4, promote="float",
       backward={"self": "grad * T.xlogy((self != 0).to(grad.dtype), other)", "other": "grad * self / other"},
       samples=sample([tensor(), tensor(bcast=True, low=0.1, high=5)], dtypes=FLOAT, invalid=_BAD_BCAST)),
    _binary_more("copysign", {"self": "copysign_self_grad(grad, self, result)", "other": "grad * 0"},
            host="copysign", promote="float", dtypes=FLOAT),
    _binary_more("heaviside", None, host="heaviside", dtypes=FLOAT, promote="none",
            invalid=[call(tensor(shape=(2,)), tensor(shape=(2,), dtype="float64"))]),
    _binary_more("fmax", {"self": "T.where((self >= other) | T.isnan(other), grad, grad * 0)",
                     "other": "T.where((self >= other) | T.isnan(other), grad * 0, grad)"}, host="fmax"),
    _binary_more("fmin", {"self": "T.where((self <= other) | T.isnan(other), grad, grad * 0)",
                     "other": "T.where((self <= other) | T.isnan(other), grad * 0, grad)"}, host="fmin"),
    _binary_more("gcd", None, host="gcd", dtypes=("int64", "int32")),
    _binary_more("lcm", None, host="lcm", dtypes=("int64", "int32"), low=1),
    _binary_more("logical_xor", None, host="logical_xor", promote="none", dtypes=("bool", "float32", "int64")),
    _binary_more("bitwise_and", None, host="bitwise_and", dtypes=_INTS + ("bool",), dunders=("__and__", "__rand__",
                                                                                        "__iand__")),
    _binary_more("bitwise_or", None, host="bitwise_or", dtypes=_INTS + ("bool",), dunders=("__or__", "__ror__",
                                                                                      "__ior__")),
    _binary_more("bitwise_xor", None, host="bitwise_xor", dtypes=_INTS + ("bool",), dunders=("__xor__", "__rxor__",
                                                                                        "__ixor__")),
    op("bitwise_left_shift.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels=_k_more("bitwise_left_shift", host_fn="bitwise_left_shift"), variants=_ALL4, backward="nondiff",
       dunders=("__lshift__", "__rlshift__", "__ilshift__"),
       samples=sample([tensor(), tensor(bcast=True, low=0, high=70)], dtypes=("int64", "int32"), low=-50, high=50)),
    op("bitwise_right_shift.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels=_k_more("bitwise_right_shift", host_fn="bitwise_right_shift"), variants=_ALL4, backward="nondiff",
       dunders=("__rshift__", "__rrshift__", "__irshift__"),
       samples=sample([tensor(), tensor(bcast=True, low=0, high=70)], dtypes=("int64", "int32"), low=-50, high=50)),
    op("bitwise_not(Tensor self) -> Tensor", kernels=_k_more("bitwise_not", host_fn="bitwise_not"), variants=_ALL4,
       promote="none", backward="nondiff", dunders=("__invert__",),
       samples=sample([tensor()], dtypes=_INTS + ("bool",), invalid=[call(tensor(shape=(2,), dtype="float32"))])),
    op("lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor", kernels=_k_more("lerp", host_fn="lerp"),
       variants=_ALL4, check=checks_int.lerp, backward={"self": "grad * (1 - weight)", "end": "grad * weight",
                                 "weight": "grad * (end - self)"},
       samples=sample([tensor(), tensor(bcast=True), scalar_of(("float",))], dtypes=FLOAT, low=-1, high=1,
                      invalid=_BAD_BCAST)),
    op("addcmul(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
       kernels=_k_more("addcmul", host_fn="addcmul"), variants=_ALL4,
       backward={"self": "grad", "tensor1": "grad * tensor2 * value", "tensor2": "grad * tensor1 * value"},
       samples=sample([tensor(), tensor(bcast=True), tensor(bcast=True)], kwargs={"value": choice(1, 0.5, 2)},
                      dtypes=NUMERIC)),
    op("addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
       kernels=_k_more("addcdiv", host_fn="addcdiv"), variants=_ALL4,
       backward={"self": "grad", "tensor1": "grad * value / tensor2",
                 "tensor2": "-grad * value * tensor1 / (tensor2 * tensor2)"},
       samples=sample([tensor(), tensor(bcast=True), tensor(bcast=True, low=0.5, high=3)],
                      kwargs={"value": choice(1, 0.5, 2)}, dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2,), dtype="int64"), tensor(shape=(2,), dtype="int64"),
                                    tensor(shape=(2,), dtype="int64"))])),
    # MindSpore's Maximum/Minimum drop NaN: the NaN-aware kernels (common/nan_aware.py) serve floats.
    op("clamp_min(Tensor self, Scalar min) -> Tensor",
       check=checks_int.clamp,
       kernels={"default": ms.clamp_min, "ascend": ms.clamp_min_prim, "host": host.clamp_min},
       variants=_ALL4, promote="same", backward={"self": "T.where(self >= min, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float",))], dtypes=FLOAT)),
    op("clamp_max(Tensor self, Scalar max) -> Tensor",
       check=checks_int.clamp,
       kernels={"default": ms.clamp_max, "ascend": ms.clamp_max_prim, "host": host.clamp_max},
       variants=_ALL4, promote="same", backward={"self": "T.where(self <= max, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float",))], dtypes=FLOAT)),
    op(["float_power.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
        "float_power.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor"],
       kernels=_k_more("float_power", host_fn="float_power"), variants=("function", "method", "out"), promote="none",
       backward={"self": "grad * exponent * T.pow(self.to(T.float64), exponent - 1)",
                 "exponent": "grad * result * T.log(self.to(T.float64))"},
       samples=sample([tensor(low=0.5, high=3), tensor(bcast=True, low=-2, high=2)], dtypes=FLOAT)),
    op("isclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor",
       kernels=_k_more("isclose", host_fn="isclose"), variants=("function", "method"), promote="none",
       backward="nondiff",
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"rtol": choice(1e-5, 0.5), "equal_nan": choice(False,
                                                                                                             True)},
                      dtypes=NUMERIC, invalid=[call(tensor(shape=(2,)), tensor(shape=(2,), dtype="float64"))])),
    op("allclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> bool",
       composite=composites.allclose,
       variants=("function", "method"), promote="none",
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"rtol": choice(1e-5, 0.5)}, dtypes=FLOAT,
                      grad=False)),
    op("equal(Tensor self, Tensor other) -> bool",
       composite=composites.equal,
       variants=("function", "method"), promote="none",
       samples=sample([tensor(low=0, high=1), tensor(bcast=True, low=0, high=1)], dtypes=("int64", "float32"),
                      grad=False)),
    op("mvlgamma(Tensor self, int p) -> Tensor",
       composite=composites.mvlgamma,
       variants=("function", "method", "inplace", "out"), promote="none",
       samples=sample([tensor(low=2, high=5), choice(1, 2, 3)], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2,)), 0)])),
    # --- from coverage.py ---
    op("tan(Tensor self) -> Tensor", kernels={"default": ms.tan, "host": host.tan}, variants=("function", "method", "inplace", "out"),
       promote="float", backward={"self": "grad * (1 + result * result)"},
       samples=sample([tensor(low=-1.4, high=1.4)], dtypes=FLOAT)),
    _comp("logaddexp(Tensor self, Tensor other) -> Tensor", "logaddexp",
          sample([tensor(), tensor(bcast=True)], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))]), variants=("function", "method", "out")),
    _comp("logaddexp2(Tensor self, Tensor other) -> Tensor", "logaddexp2",
          sample([tensor(), tensor(bcast=True)], dtypes=FLOAT), variants=("function", "method", "out")),
    op("i0(Tensor self) -> Tensor", kernels={"default": ms.i0, "host": host.i0}, variants=("function", "method", "inplace", "out"),
       namespaces=("torch", "torch.special"), promote="float", backward={"self": "grad * T.i1(self)"},
       samples=sample([tensor(low=-4, high=4)], dtypes=FLOAT)),
    op("i1(Tensor self) -> Tensor", kernels={"default": ms.i1, "host": host.i1}, variants=("function", "out"),
       namespaces=("torch.special",), promote="float",
       # d/dx I1 = I0 - I1/x, whose limit at 0 is 1/2
       backward={"self": "grad * T.where(self == 0, 0.5 + self * 0, T.i0(self) - T.i1(self) / "
                         "T.where(self == 0, 1 + self * 0, self))"},
       samples=sample([tensor(low=-4, high=4)], dtypes=FLOAT)),
]

for _name, _prim, _np, _dunder in (("eq", "Equal", "equal", "__eq__"), ("ne", "NotEqual", "not_equal", "__ne__"),
                                   ("lt", "Less", "less", "__lt__"), ("le", "LessEqual", "less_equal", "__le__"),
                                   ("gt", "Greater", "greater", "__gt__"),
                                   ("ge", "GreaterEqual", "greater_equal", "__ge__")):
    ENTRIES.append(op(f"{_name}.Tensor(Tensor self, Tensor other) -> Tensor",
                      kernels={"default": f"prim:{_prim}", "ascend": f"mint:{_name}", "host": f"np:{_np}"},
                      variants=("function", "method", "inplace", "out"), dunders=(_dunder,), promote="compare",
                      aliases={"ne": ("not_equal",), "lt": ("less",), "le": ("less_equal",), "gt": ("greater",),
                               "ge": ("greater_equal",)}.get(_name, ()),
                      backward="nondiff", samples=_BINARY))

for _name, _prim, _np, _dunder in (("logical_and", "LogicalAnd", "logical_and", None),
                                   ("logical_or", "LogicalOr", "logical_or", None)):
    ENTRIES.append(op(f"{_name}(Tensor self, Tensor other) -> Tensor",
                      kernels={"default": getattr(ms, _name), "ascend": f"mint:{_name}", "host": f"np:{_np}"},
                      variants=("function", "method", "inplace", "out"), promote="none", backward="nondiff",
                      samples=sample([tensor(), tensor(bcast=True)], dtypes=("bool", "float32", "int64"))))

ENTRIES.append(op("logical_not(Tensor self) -> Tensor",
                  kernels={"default": ms.logical_not, "ascend": "mint:logical_not", "host": "np:logical_not"},
                  variants=("function", "method", "inplace", "out"), promote="none", backward="nondiff",
                  samples=sample([tensor()], dtypes=("bool", "float32", "int64"))))

for _name, _prim, _np in (("maximum", "Maximum", "maximum"), ("minimum", "Minimum", "minimum")):
    _lose = "<" if _name == "maximum" else ">"
    _win = ">" if _name == "maximum" else "<"
    # PyTorch's formula: half each on a tie, nothing to the loser; a NaN on either side
    # makes neither win nor tie, so both get the whole gradient.
    ENTRIES.append(op(f"{_name}(Tensor self, Tensor other) -> Tensor",
                      kernels={"default": getattr(ms, _name), "ascend": f"mint:{_name}", "host": f"np:{_np}"},
                      variants=("function", "method", "out"),
                      backward={"self": f"T.where(self {_lose} other, grad * 0, T.where(self == other, grad / 2, grad))",
                                "other": f"T.where(self {_win} other, grad * 0, T.where(self == other, grad / 2, grad))"},
                      samples=sample([tensor(), tensor(bcast=True)], dtypes=NUMERIC)))

for _name, _fn, _np in (("isnan", "isnan", "isnan"), ("isinf", "isinf", "isinf"), ("isposinf", "isposinf", "isposinf"),
                        ("isneginf", "isneginf", "isneginf"), ("isfinite", "isfinite", "isfinite"),
                        ("signbit", "signbit", "signbit")):
    ENTRIES.append(op(f"{_name}(Tensor self) -> Tensor", kernels=_k_more(_fn, host_fn=_np),
                      variants=("function", "method", "out") if _name in ("isposinf", "isneginf", "signbit")
                      else ("function", "method"), promote="none", backward="nondiff",
                      samples=sample([tensor()], dtypes=NUMERIC + ("bool",))))
