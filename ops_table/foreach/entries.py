"""`torch._foreach_*` (optimizers with foreach=True, timm's ModelEmaV3): composites looping
the per-tensor ops over tensor lists (ops_table/foreach/composites.py), PyTorch's schemas."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, sample, tensor  # noqa: F401
from . import composites

_NUM = ("float32", "float64", "int64")
_L1 = [tensor(shape=(2,)), tensor(shape=(3,))]
_L2 = [tensor(shape=(2,)), tensor(shape=(3,)), tensor(shape=(1,))]


def _op(name, schemas, samples):
    return op([f"{name}{s}" for s in schemas], kernels={"default": getattr(composites, f"{name[len('_foreach_'):]}"), "host": getattr(composites, f"{name[len('_foreach_'):]}")},
              variants=("function",), promote="none", samples=samples)


def _binary(base, alpha, dtypes=_NUM, scalar_list=True, tensor_overload=True, grad=True):
    al = ", *, Scalar alpha=1" if alpha else ""
    # alpha is checked in tests/test_foreach_ops.py: PyTorch refuses it beside a scalar operand.
    kw = {}
    bad = [call([], 2.0), call(_L1, _L2, **({"alpha": 1} if alpha else {})), call(_L1, [1.0, 2.0, 3.0])]
    if tensor_overload:
        bad.append(call(_L1, tensor(shape=(2,))))
    out = []
    for inplace in (True, False):
        name, sw, ret = (f"_foreach_{base}_", "Tensor(a!)[] self", "()") if inplace else \
            (f"_foreach_{base}", "Tensor[] self", "Tensor[]")
        # Tried in order: a 1-d tensor must reach the Tensor overload (and its 0-dim error),
        # not be read as a list of scalars.
        schemas = [f".List({sw}, Tensor[] other{al}) -> {ret}"]
        if tensor_overload:
            schemas.append(f".Tensor({sw}, Tensor other{al}) -> {ret}")
        if scalar_list:
            schemas.append(f".ScalarList({sw}, Scalar[] scalars) -> {ret}")
        schemas.append(f".Scalar({sw}, Scalar scalar) -> {ret}")
        out.append(_op(name, schemas, sample([custom("foreach_list"), custom("foreach_other")], kwargs=kw,
                                             dtypes=dtypes, grad=grad and not inplace, method=False,
                                             invalid=bad)))
    return out


def _pair(base, args, samples_in, samples_out):
    """In-place and out-of-place twins sharing argument lists: args(selftype) -> list of '.Overload(...)'."""
    return [_op(f"_foreach_{base}_", [s + " -> ()" for s in args("Tensor(a!)[] self")], samples_in),
            _op(f"_foreach_{base}", [s + " -> Tensor[]" for s in args("Tensor[] self")], samples_out)]


def _addc(base):
    # Tried in order: a 1-d tensor is the Tensor overload, never a list of scalars.
    args = lambda sw: [f".Tensor({sw}, Tensor[] tensor1, Tensor[] tensor2, Tensor scalars)",  # noqa: E731
                       f".ScalarList({sw}, Tensor[] tensor1, Tensor[] tensor2, Scalar[] scalars)",
                       f".Scalar({sw}, Tensor[] tensor1, Tensor[] tensor2, Scalar value=1)"]
    low = {"low": 0.5, "high": 3} if base == "addcdiv" else {}
    bad = [call([], [], [], 1.0), call(_L1, _L1, _L2, 1.0), call(_L1, _L1, _L1, tensor(shape=(3,))),
           call(_L1, _L1, _L1, tensor(shape=()))]

    def s(inplace):
        return sample([custom("foreach_list"), custom("foreach_like"), custom("foreach_like"),
                       custom("foreach_addc_value")], dtypes=FLOAT, grad=False, method=False, invalid=bad, **low)
    return _pair(base, args, s(True), s(False))


def _unary(base, dtypes=FLOAT, low=-5):
    def s(inplace):
        return sample([custom("foreach_list")], dtypes=dtypes, grad=not inplace, method=False, low=low,
                      invalid=[call([])])
    return [_op(f"_foreach_{base}_", ["(Tensor(a!)[] self) -> ()"], s(True)),
            _op(f"_foreach_{base}", ["(Tensor[] self) -> Tensor[]"], s(False))]


def _lerp():
    args = lambda sw: [f".List({sw}, Tensor[] tensors1, Tensor[] weights)",  # noqa: E731
                       f".ScalarList({sw}, Tensor[] tensors1, Scalar[] weight)",
                       f".Scalar({sw}, Tensor[] tensors1, Scalar weight)"]
    bad = [call([], [], 0.5), call(_L1, _L2, 0.5), call(_L1, _L1, [0.5]), call(_L1, _L1, _L2)]

    def s(inplace):
        return sample([custom("foreach_list"), custom("foreach_like"), custom("foreach_weight")], dtypes=FLOAT,
                      low=-1, high=1, grad=not inplace, method=False, invalid=bad)
    return _pair("lerp", args, s(True), s(False))


ENTRIES = [
    # PyTorch 2.13 cannot differentiate _foreach_mul/_foreach_div through a 0-d Tensor operand
    # ("inconsistent range for TensorList output") nor _foreach_addcmul/addcdiv at all; mstorch's
    # composites can, so gradients are compared in tests/test_foreach_ops.py where torch has them.
    *_binary("mul", alpha=False, grad=False),
    *_binary("add", alpha=True, grad=False),
    *_lerp(),
    _op("_foreach_copy_", ["(Tensor(a!)[] self, Tensor[] src, bool non_blocking=False) -> ()"],
        sample([custom("foreach_list"), custom("foreach_like_any_dtype")], dtypes=_NUM, grad=False, method=False,
               invalid=[call([], []), call(_L1, _L2)])),
    _op("_foreach_zero_", ["(Tensor(a!)[] self) -> ()"],
        sample([custom("foreach_list")], dtypes=_NUM, grad=False, method=False, invalid=[call([])])),
    *_addc("addcmul"),
    *_addc("addcdiv"),
    *_unary("sqrt", low=0),
    *_binary("div", alpha=False, grad=False),
    *_binary("sub", alpha=True, dtypes=_NUM, tensor_overload=False),
    _op("_foreach_norm", [".Scalar(Tensor[] self, Scalar ord=2, ScalarType? dtype=None) -> Tensor[]"],
        sample([custom("foreach_list")], kwargs={"ord": choice(2, 1, 3.0, float("inf")),
                                                  "dtype": choice(None, "float64")},
               dtypes=FLOAT, method=False, invalid=[call([]), call([tensor(shape=(2,), dtype="int64")])])),
    *_binary("maximum", alpha=False, dtypes=_NUM, tensor_overload=False),
    *_unary("neg", dtypes=_NUM),
]
