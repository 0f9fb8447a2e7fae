"""More pointwise math: inverse/hyperbolic trig, special functions, bitwise ops, float
classification, and the binary/ternary helpers (atan2, lerp, addcmul, ...)."""
from ops_table.spec import op
from ops_table.samples import (FLOAT, NUMERIC, call, choice, sample, scalar_of, tensor)

_ALL4 = ("function", "method", "inplace", "out")
_INTS = ("int64", "int32", "int16", "uint8")
_BAD_BCAST = [call(tensor(shape=(2, 3)), tensor(shape=(4,)))]


# Ops mindspore.mint 2.10 does not have (tests/test_ops_table.py checks every declared
# candidate): on Ascend they are declared with the same legacy-primitive kernel as on CPU.
_NO_MINT = {"lgamma", "digamma", "deg2rad", "rad2deg", "sgn", "angle", "polygamma", "logit", "hypot", "copysign",
            "heaviside", "fmax", "fmin", "lcm", "bitwise_left_shift", "bitwise_right_shift", "clamp_min",
            "clamp_max", "isposinf", "signbit"}


def _k(fn, prim=None, host=None, ascend=None):
    cpu = f"prim:{prim}" if prim else f"fn:ms_pointwise_more.{fn}"
    k = {"cpu": cpu, "gpu": cpu, "ascend": ascend or (cpu if fn in _NO_MINT else f"mint:{fn}")}
    if host:
        k["host"] = host if ":" in host else f"fn:np_pointwise_more.{host}"
    return k


def _unary(name, prim, backward, host=None, low=-5, high=5, promote="float", aliases=(), dtypes=FLOAT,
           fn=None, variants=_ALL4, ascend=None):
    return op(f"{name}(Tensor self) -> Tensor", kernels=_k(fn or name, None if fn else prim, host, ascend),
              variants=variants, promote=promote, aliases=aliases,
              backward={"self": backward} if backward else "nondiff",
              samples=sample([tensor(low=low, high=high)], dtypes=dtypes))


def _binary(name, backward, host=None, promote="same", aliases=(), dtypes=NUMERIC, low=-5, high=5, prim=None,
            other_low=None, other_high=None, dunders=(), variants=_ALL4, invalid=None):
    return op(f"{name}(Tensor self, Tensor other) -> Tensor", kernels=_k(name, prim, host),
              variants=variants, promote=promote, aliases=aliases, dunders=dunders,
              backward=backward or "nondiff",
              samples=sample([tensor(), tensor(bcast=True, low=other_low, high=other_high)], dtypes=dtypes, low=low,
                             high=high, invalid=_BAD_BCAST if invalid is None else invalid))


ENTRIES = [
    _unary("asin", "Asin", "grad * T.rsqrt(1 - self * self)", "np:arcsin", -0.9, 0.9, aliases=("arcsin",)),
    _unary("acos", "ACos", "-grad * T.rsqrt(1 - self * self)", "np:arccos", -0.9, 0.9, aliases=("arccos",)),
    _unary("atan", "Atan", "grad / (1 + self * self)", "np:arctan", aliases=("arctan",)),
    _unary("sinh", "Sinh", "grad * T.cosh(self)", "np:sinh", -3, 3),
    _unary("cosh", "Cosh", "grad * T.sinh(self)", "np:cosh", -3, 3),
    _unary("asinh", "Asinh", "grad * T.rsqrt(self * self + 1)", "np:arcsinh", aliases=("arcsinh",)),
    _unary("acosh", "Acosh", "grad * T.rsqrt(self * self - 1)", "np:arccosh", 1.1, 5, aliases=("arccosh",)),
    _unary("atanh", "Atanh", "grad / (1 - self * self)", "np:arctanh", -0.9, 0.9, aliases=("arctanh",)),
    _unary("expm1", "Expm1", "grad * (result + 1)", "np:expm1", -3, 3, aliases=("special_expm1",)),
    _unary("log1p", "Log1p", "grad / (self + 1)", "np:log1p", -0.9, 5),
    _unary("log2", None, "grad / (self * 0.6931471805599453)", "log2", 0.1, 5, fn="log2"),
    _unary("log10", None, "grad / (self * 2.302585092994046)", "np:log10", 0.1, 5, fn="log10"),
    _unary("exp2", None, "grad * result * 0.6931471805599453", "exp2", -3, 3, fn="exp2"),
    _unary("erf", "Erf", "grad * 1.1283791670955126 * T.exp(-self * self)", "erf", -3, 3),
    _unary("erfc", "Erfc", "grad * -1.1283791670955126 * T.exp(-self * self)", "erfc", -3, 3),
    _unary("erfinv", None, "grad * 0.886226925452758 * T.exp(result * result)", "fn:erfinv_math.erfinv", -0.9, 0.9,
           fn="erfinv"),
    _unary("lgamma", "Lgamma", "grad * T.digamma(self)", "lgamma", 0.1, 5),
    _unary("digamma", None, "grad * T.polygamma(1, self)", "digamma", 0.5, 5, fn="digamma"),
    _unary("square", "Square", "2 * grad * self", "np:square", promote="same", dtypes=NUMERIC),
    _unary("frac", None, "grad", "frac", promote="same", fn="frac"),
    _unary("deg2rad", None, "grad * 0.017453292519943295", "deg2rad", promote="float", fn="deg2rad"),
    _unary("rad2deg", None, "grad * 57.29577951308232", "rad2deg", promote="float", fn="rad2deg"),
    op("sgn(Tensor self) -> Tensor", kernels=_k("sgn", host="sgn"), variants=_ALL4, promote="same",
       backward={"self": "grad * 0"},
       # torch's own sgn gradient is a ZeroTensor that cannot be read back: no grad parity here
       samples=sample([tensor()], dtypes=NUMERIC, grad=False)),
    # promote="none": the kernels return PyTorch's dtypes (float32 for integers, real for complex).
    _unary("angle", None, "angle_backward(grad, self)", "angle", promote="none", fn="angle",
           variants=("function", "method", "out"), dtypes=FLOAT + ("int64", "complex64", "complex128")),
    op("polygamma(int n, Tensor self) -> Tensor", kernels=_k("polygamma", host="polygamma"),
       variants=("function", "method", "out"), promote="float",
       backward={"self": "grad * T.polygamma(n + 1, self)"},
       samples=sample([choice(0, 1, 2), tensor(low=0.5, high=5)], dtypes=FLOAT, method=False)),
    op("nan_to_num(Tensor self, float? nan=None, float? posinf=None, float? neginf=None) -> Tensor",
       kernels=_k("nan_to_num", host="nan_to_num"), variants=_ALL4, promote="same",
       backward={"self": "grad * T.isfinite(self)"},
       samples=sample([tensor()], kwargs={"nan": choice(None, 1.5), "posinf": choice(None, 9.0)},
                      dtypes=NUMERIC)),
    op("logit(Tensor self, float? eps=None) -> Tensor",
       kernels=_k("logit", host="logit"), variants=_ALL4, promote="float",
       backward={"self": "logit_backward(grad, self, eps)"},
       samples=sample([tensor(low=0.05, high=0.95), choice(None, 0.1)], dtypes=FLOAT)),
    op("sinc(Tensor self) -> Tensor", kernels=_k("sinc", "Sinc", "np:sinc"), variants=_ALL4, promote="float",
       backward={"self": "sinc_backward(grad, self)"}, samples=sample([tensor()], dtypes=FLOAT)),
    op("positive(Tensor(a) self) -> Tensor(a)",
       kernels={b: "composite:pointwise_more.positive" for b in ("cpu", "host", "ascend", "gpu")},
       variants=("function", "method"), promote="none", dunders=("__pos__",),
       samples=sample([tensor()], dtypes=NUMERIC, invalid=[call(tensor(shape=(2,), dtype="bool"))])),
    _binary("atan2", {"self": "grad * other / (self * self + other * other)",
                      "other": "-grad * self / (self * self + other * other)"},
            host="atan2", promote="float", aliases=("arctan2",), dtypes=FLOAT, prim="Atan2"),
    _binary("hypot", {"self": "grad * self / result", "other": "grad * other / result"},
            host="hypot", dtypes=FLOAT),
    op("fmod.Tensor(Tensor self, Tensor other) -> Tensor", kernels=_k("fmod", host="fmod"), variants=_ALL4,
       backward={"self": "grad", "other": "-grad * T.trunc(self / other)"},
       samples=sample([tensor(), tensor(bcast=True, low=0.5, high=3)], dtypes=NUMERIC, invalid=_BAD_BCAST)),
    op("xlogy.Tensor(Tensor self, Tensor other) -> Tensor", kernels=_k("xlogy", host="xlogy"),
       variants=_ALL4, promote="float",
       backward={"self": "grad * T.xlogy((self != 0).to(grad.dtype), other)", "other": "grad * self / other"},
       samples=sample([tensor(), tensor(bcast=True, low=0.1, high=5)], dtypes=FLOAT, invalid=_BAD_BCAST)),
    _binary("copysign", {"self": "copysign_self_grad(grad, self, result)", "other": "grad * 0"},
            host="copysign", promote="float", dtypes=FLOAT),
    _binary("heaviside", None, host="heaviside", dtypes=FLOAT, promote="none",
            invalid=[call(tensor(shape=(2,)), tensor(shape=(2,), dtype="float64"))]),
    _binary("fmax", {"self": "T.where((self >= other) | T.isnan(other), grad, grad * 0)",
                     "other": "T.where((self >= other) | T.isnan(other), grad * 0, grad)"}, host="fmax"),
    _binary("fmin", {"self": "T.where((self <= other) | T.isnan(other), grad, grad * 0)",
                     "other": "T.where((self <= other) | T.isnan(other), grad * 0, grad)"}, host="fmin"),
    _binary("gcd", None, host="gcd", dtypes=("int64", "int32")),
    _binary("lcm", None, host="lcm", dtypes=("int64", "int32"), low=1),
    _binary("logical_xor", None, host="logical_xor", promote="none", dtypes=("bool", "float32", "int64")),
    _binary("bitwise_and", None, host="bitwise_and", dtypes=_INTS + ("bool",), dunders=("__and__", "__rand__",
                                                                                        "__iand__")),
    _binary("bitwise_or", None, host="bitwise_or", dtypes=_INTS + ("bool",), dunders=("__or__", "__ror__",
                                                                                      "__ior__")),
    _binary("bitwise_xor", None, host="bitwise_xor", dtypes=_INTS + ("bool",), dunders=("__xor__", "__rxor__",
                                                                                        "__ixor__")),
    op("bitwise_left_shift.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels=_k("bitwise_left_shift", host="bitwise_left_shift"), variants=_ALL4, backward="nondiff",
       dunders=("__lshift__", "__rlshift__", "__ilshift__"),
       samples=sample([tensor(), tensor(bcast=True, low=0, high=70)], dtypes=("int64", "int32"), low=-50, high=50)),
    op("bitwise_right_shift.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels=_k("bitwise_right_shift", host="bitwise_right_shift"), variants=_ALL4, backward="nondiff",
       dunders=("__rshift__", "__rrshift__", "__irshift__"),
       samples=sample([tensor(), tensor(bcast=True, low=0, high=70)], dtypes=("int64", "int32"), low=-50, high=50)),
    op("bitwise_not(Tensor self) -> Tensor", kernels=_k("bitwise_not", host="bitwise_not"), variants=_ALL4,
       promote="none", backward="nondiff", dunders=("__invert__",),
       samples=sample([tensor()], dtypes=_INTS + ("bool",), invalid=[call(tensor(shape=(2,), dtype="float32"))])),
    op("lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor", kernels=_k("lerp", host="lerp"),
       variants=_ALL4, check="checks_int.lerp", backward={"self": "grad * (1 - weight)", "end": "grad * weight",
                                 "weight": "grad * (end - self)"},
       samples=sample([tensor(), tensor(bcast=True), scalar_of(("float",))], dtypes=FLOAT, low=-1, high=1,
                      invalid=_BAD_BCAST)),
    op("addcmul(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
       kernels=_k("addcmul", host="addcmul"), variants=_ALL4,
       backward={"self": "grad", "tensor1": "grad * tensor2 * value", "tensor2": "grad * tensor1 * value"},
       samples=sample([tensor(), tensor(bcast=True), tensor(bcast=True)], kwargs={"value": choice(1, 0.5, 2)},
                      dtypes=NUMERIC)),
    op("addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
       kernels=_k("addcdiv", host="addcdiv"), variants=_ALL4,
       backward={"self": "grad", "tensor1": "grad * value / tensor2",
                 "tensor2": "-grad * value * tensor1 / (tensor2 * tensor2)"},
       samples=sample([tensor(), tensor(bcast=True), tensor(bcast=True, low=0.5, high=3)],
                      kwargs={"value": choice(1, 0.5, 2)}, dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2,), dtype="int64"), tensor(shape=(2,), dtype="int64"),
                                    tensor(shape=(2,), dtype="int64"))])),
    # MindSpore's Maximum/Minimum drop NaN: ms_reduction's NaN-aware kernels serve floats.
    op("clamp_min(Tensor self, Scalar min) -> Tensor",
       check="checks_int.clamp",
       kernels=dict(_k("clamp_min", host="clamp_min"), cpu="fn:ms_reduction.clamp_min",
                    gpu="fn:ms_reduction.clamp_min"),
       variants=_ALL4, promote="same", backward={"self": "T.where(self >= min, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float",))], dtypes=FLOAT)),
    op("clamp_max(Tensor self, Scalar max) -> Tensor",
       check="checks_int.clamp",
       kernels=dict(_k("clamp_max", host="clamp_max"), cpu="fn:ms_reduction.clamp_max",
                    gpu="fn:ms_reduction.clamp_max"),
       variants=_ALL4, promote="same", backward={"self": "T.where(self <= max, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float",))], dtypes=FLOAT)),
    op(["float_power.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
        "float_power.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor"],
       kernels=_k("float_power", host="float_power"), variants=("function", "method", "out"), promote="none",
       backward={"self": "grad * exponent * T.pow(self.to(T.float64), exponent - 1)",
                 "exponent": "grad * result * T.log(self.to(T.float64))"},
       samples=sample([tensor(low=0.5, high=3), tensor(bcast=True, low=-2, high=2)], dtypes=FLOAT)),
    op("isclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor",
       kernels=_k("isclose", host="isclose"), variants=("function", "method"), promote="none",
       backward="nondiff",
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"rtol": choice(1e-5, 0.5), "equal_nan": choice(False,
                                                                                                             True)},
                      dtypes=NUMERIC, invalid=[call(tensor(shape=(2,)), tensor(shape=(2,), dtype="float64"))])),
    op("allclose(Tensor self, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> bool",
       kernels={b: "composite:pointwise_more.allclose" for b in ("cpu", "host", "ascend", "gpu")},
       variants=("function", "method"), promote="none",
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"rtol": choice(1e-5, 0.5)}, dtypes=FLOAT,
                      grad=False)),
    op("equal(Tensor self, Tensor other) -> bool",
       kernels={b: "composite:pointwise_more.equal" for b in ("cpu", "host", "ascend", "gpu")},
       variants=("function", "method"), promote="none",
       samples=sample([tensor(low=0, high=1), tensor(bcast=True, low=0, high=1)], dtypes=("int64", "float32"),
                      grad=False)),
    op("mvlgamma(Tensor self, int p) -> Tensor",
       kernels={b: "composite:pointwise_more.mvlgamma" for b in ("cpu", "host", "ascend", "gpu")},
       variants=("function", "method", "inplace", "out"), promote="none",
       samples=sample([tensor(low=2, high=5), choice(1, 2, 3)], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2,)), 0)])),
]

for _name, _fn, _np in (("isnan", "isnan", "isnan"), ("isinf", "isinf", "isinf"), ("isposinf", "isposinf", "isposinf"),
                        ("isneginf", "isneginf", "isneginf"), ("isfinite", "isfinite", "isfinite"),
                        ("signbit", "signbit", "signbit")):
    ENTRIES.append(op(f"{_name}(Tensor self) -> Tensor", kernels=_k(_fn, host=_np),
                      variants=("function", "method", "out") if _name in ("isposinf", "isneginf", "signbit")
                      else ("function", "method"), promote="none", backward="nondiff",
                      samples=sample([tensor()], dtypes=NUMERIC + ("bool",))))
