"""Integer inputs at the edges of their dtype, for parity against real torch.

The table's own samples draw small integers (-5..5), where an int64 computed through
float64 still comes out right.  Here every integer tensor of a drawn case is refilled
with values from `pool(dtype)`: the dtype's bounds, int64 values float64 cannot hold
(2**53 + 1, 2**62 + 3), zero (a divisor), small numbers (so that some results stay
unsaturated) and the bounds of narrower integer dtypes."""
import numpy as np
from hypothesis import strategies as st

from tests.parity.strategies import Arr, cases

INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8")
_SMALL = (0, 1, -1, 2, 3, -3, 7, -7)
_BOUNDS = (127, -128, 255, 32767, -32768, 65535, 2 ** 31 - 1, -2 ** 31, 2 ** 32 - 1)
_WIDE = (2 ** 53 + 1, -(2 ** 53 + 1), 2 ** 62 + 3, -(2 ** 62 + 3), 2 ** 63 - 1, -2 ** 63, 2 ** 63 - 2)


def pool(dtype, drop=()):
    """The values an integer tensor of `dtype` is refilled from (those the dtype holds),
    less those named in `drop` ("min": the dtype's minimum)."""
    info = np.iinfo(dtype)
    values = set(_SMALL) | set(_BOUNDS) | set(_WIDE) | {int(info.min), int(info.max), int(info.min) + 1,
                                                         int(info.max) - 1}
    if "min" in drop:
        values.discard(int(info.min))
    return np.array(sorted(v for v in values if info.min <= v <= info.max), dtype=dtype)


def at_extremes(value, rng, drop=()):
    """`value` (a drawn argument) with every integer tensor's elements redrawn from the
    pool; about a quarter keep their small drawn value.  Lists are walked."""
    if isinstance(value, list):
        return [at_extremes(v, rng, drop) for v in value]
    if isinstance(value, tuple) and any(isinstance(v, Arr) for v in value):
        return tuple(at_extremes(v, rng, drop) for v in value)
    if not isinstance(value, Arr) or value.dtype not in INT_DTYPES:
        return value
    buf = value.buf
    extremes = rng.choice(pool(value.dtype, drop), size=buf.shape)
    buf = np.where(rng.random(buf.shape) < 0.75, extremes, buf).astype(buf.dtype)
    return Arr(buf, value.layout, value.dtype)


@st.composite
def extreme_cases(draw, sample, keep_positions=(), drop=()):
    """A case of `sample` (drawn as test_parity_ops draws it, integer dtypes only) with
    integer tensors at the extremes; arguments at `keep_positions` (indices, sizes)
    keep their drawn values; `drop` as for `pool`."""
    ints = [d for d in sample["dtypes"] if d in INT_DTYPES]
    dtype, args, kwargs = draw(cases(dict(sample, dtypes=ints)))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    args = [a if i in keep_positions else at_extremes(a, rng, drop) for i, a in enumerate(args)]
    kwargs = {k: v if k in keep_positions else at_extremes(v, rng, drop) for k, v in kwargs.items()}
    return dtype, args, kwargs


# ---- hand-written calls: ops whose table samples draw no integers, scalar operands,
# in-place and out= forms, constructors.  Each is evaluated with `t` bound to the library
# (torch or mstorch.torch), `I` to int64 extremes and `np` to NumPy.
I64 = [-2 ** 63, 2 ** 63 - 1, 2 ** 53 + 1, -(2 ** 53 + 1), 2 ** 62 + 3, 0, 1, -1, 7, -7, 3]
_BOUNDS_OF = {"int8": (-128, 127), "int16": (-32768, 32767), "int32": (-2 ** 31, 2 ** 31 - 1),
              "int64": (-2 ** 63, 2 ** 63 - 1), "uint8": (0, 255)}


def _division_calls():
    calls = []
    for dt, (lo, hi) in _BOUNDS_OF.items():
        x = f"t.tensor({[lo, hi, lo + 1, hi - 1, 0, 1, 5, 100 % (hi + 1)]}, dtype=t.{dt})"
        z = f"t.zeros(8, dtype=t.{dt})"
        calls += [f"{x} // 0", f"{x} % 0", f"{x} // {z}", f"{x} % {z}", f"t.fmod({x}, 0)", f"t.remainder({x}, {z})",
                  f"t.div({x}, 0, rounding_mode='floor')", f"t.div({x}, {z}, rounding_mode='trunc')",
                  f"{x}.clone().floor_divide_(0)", f"{x}.clone().remainder_(0)", f"{x}.clone().fmod_({z})",
                  f"{x}.clone().div_(0, rounding_mode='trunc')", f"{x}.clone().__ifloordiv__(0)",
                  f"t.floor_divide({x}, 0, out=t.empty(8, dtype=t.{dt}))",
                  f"t.remainder({x}, {z}, out=t.empty(8, dtype=t.{dt}))",
                  f"t.fmod({x}, 0, out=t.empty(8, dtype=t.{dt}))",
                  f"t.div({x}, 0)", f"{x} / {z}",
                  f"{x} // 3", f"{x} % 7", f"t.fmod({x}, 7)", f"t.div({x}, 3, rounding_mode='floor')",
                  f"t.div({x}, 3, rounding_mode='trunc')", f"t.remainder(5, {x})" if lo else f"t.remainder(5, {x} + 1)",
                  f"{x} + {x}", f"{x} - {x}.flip(0)", f"{x} * {x}", f"{x} * 3", f"{x} + 100", f"t.add({x}, {x}, alpha=3)",
                  f"t.sub({x}, {x}, alpha=2)", f"{x} ** 2", f"{x} ** 3", f"-{x}", f"{x}.abs()", f"{x}.neg()",
                  f"{x}.sum()", f"{x}.prod()", f"{x}.cumsum(0)", f"{x}.cumprod(0)", f"{x}.nansum()",
                  f"{x}.sum(dtype=t.{dt})", f"{x}.cumsum(0, dtype=t.{dt})", f"{x}.max()", f"{x}.min()", f"{x}.sort()",
                  f"{x}.topk(3)", f"{x}.argmax()", f"{x}.argmin()", f"{x}.clamp({lo + 1}, {hi - 1})",
                  f"{x} << 3", f"{x} >> 3", f"{x} << -1", f"{x} >> -1", f"{x} << 70", f"{x} >> 70", f"~{x}",
                  f"{x} & {hi}", f"{x} | 5", f"{x} ^ {x}.flip(0)", f"t.gcd({x}, {x}.flip(0))"]
    return calls


_INT64_CALLS = [
    "t.tensor([1, 2]) // 0", "t.tensor([5]) % 0", "t.tensor([5]) % t.tensor([0])",
    "t.tensor([2**53 + 1, 2**62 + 3]).sum()", "t.tensor([2**53 + 1, 2**62 + 3]) // 3",
    "t.tensor([2**53 + 1, 2**62 + 3]) % 7", "t.floor_divide(t.tensor(I), -1)", "t.remainder(t.tensor(I), -7)",
    "t.fmod(t.tensor(I), -7)", "t.remainder(2**62 + 3, t.tensor([7, 11]))", "t.remainder(5, t.tensor([0, 1]))",
    "t.tensor([1., -2., 0.]) // 0", "t.tensor([1., -2., 0.]) % 0", "t.fmod(t.tensor([1., -2.]), 0)",
    "t.div(t.tensor([1., -2.]), 0, rounding_mode='floor')", "t.div(t.tensor([1., -2.]), 0, rounding_mode='trunc')",
    "t.tensor([True]) // t.tensor([True])", "t.tensor([True]) % t.tensor([True])",
    "t.div(t.tensor([7, -7]), 2.0, rounding_mode='floor')", "t.div(t.tensor([7, -7]), 2, rounding_mode=None)",
    "t.tensor(I) * t.tensor(I)", "t.tensor(I) ** 2", "t.tensor(I) ** 3", "t.pow(t.tensor(I), t.tensor([2] * 11))",
    "t.pow(3, t.tensor([40, 39, 2]))", "t.tensor([3]) ** -1", "t.tensor([3, 1, -1, 0, -1]) ** t.tensor([-1, -2, -3, -1, -2])",
    "t.tensor([True]) ** t.tensor([True])", "t.tensor([2], dtype=t.uint8) ** -1", "2 ** t.tensor([-1])",
    "t.tensor(I).abs()", "t.tensor(I).neg()", "t.tensor(I).sgn()", "t.tensor(I).sign()", "t.tensor(I).square()",
    "t.tensor(I) & (2**62 + 3)", "t.tensor(I) | 5", "~t.tensor(I)", "t.tensor(I) << 64", "t.tensor(I) >> -1",
    "t.gcd(t.tensor(I), t.tensor(I[::-1]))", "t.lcm(t.tensor(I[2:]), t.tensor([6] * 9))",
    "t.tensor(I).max()", "t.tensor(I).min()", "t.tensor(I).max(0)", "t.tensor(I).sort()", "t.tensor(I).sort(descending=True)",
    "t.tensor(I).topk(3)", "t.tensor(I).topk(3, largest=False)", "t.tensor(I).argmax()", "t.tensor(I).argmin()",
    "t.tensor(I).amax()", "t.tensor(I).aminmax()", "t.tensor(I).argsort()", "t.tensor(I).msort()",
    "t.tensor(I).unique()", "t.tensor(I).kthvalue(3)", "t.tensor(I).median()", "t.tensor(I).cummax(0)",
    "t.tensor([[2**53 + 1, 2**53 + 2], [2**62 + 3, 1]]).max(1)", "t.tensor(I).clamp(-2**53 - 3, 2**62 + 1)",
    "t.tensor(I).clamp(min=2**53)", "t.tensor(I).clamp(max=t.tensor(2**53))", "t.tensor(I).clamp_(-5, 2**53 + 3)",
    "t.clamp(t.tensor(I), t.tensor(I[::-1]))", "t.where(t.tensor(I) > 0, t.tensor(I), 2**62 + 1)",
    "t.where(t.tensor(I) > 0, t.tensor(I), t.tensor(I[::-1]))", "t.maximum(t.tensor(I), t.tensor(I[::-1]))",
    "t.tensor(I) == 2**53", "t.tensor(I) > 2**53", "t.tensor(I).eq(t.tensor(I[::-1]))",
    "t.dot(t.tensor(I[2:]), t.tensor([3] * 9))", "t.tensor([I[2:5]]) @ t.tensor([[1], [1], [1]])",
    "t.mm(t.tensor([[2**53 + 1, 1]]), t.tensor([[1], [1]]))", "t.mv(t.tensor([[2**53 + 1, 1]]), t.tensor([1, 1]))",
    "t.matmul(t.tensor(I[2:]), t.tensor([1] * 9))", "t.bmm(t.tensor([[[2**53 + 1, 1]]]), t.tensor([[[1], [1]]]))",
    "t.bincount(t.tensor([0, 1, 1, 3]))", "t.bincount(t.tensor([0, 1, 1, 3]), weights=t.tensor([1., 2., 3., 4.]))",
    "t.tensor([True, True, False]).cumsum(0)", "t.tensor([True, True, False]).sum()",
    "t.tensor([True, True, False]).prod()", "t.tensor(I).cumsum(0)", "t.tensor(I).cumprod(0)",
    "t.tensor([I[2:]]).sum(1)", "t.tensor([I[2:]]).sum(1, keepdim=True)", "t.tensor(I).prod()", "t.tensor(I).nansum()",
    "t.tensor(I).mean()", "t.tensor(I).float()", "t.tensor(I).double()", "t.tensor(I).to(t.int32)",
    "t.tensor(I).to(t.int8)", "t.tensor(I).to(t.uint8)", "t.tensor(I).to(t.bool)", "t.tensor(I).diff()",
    "t.tensor([I[2:5], I[5:8], I[8:11]]).trace()",
    "t.tensor(I).repeat(2)", "t.tensor(I).flip(0)", "t.tensor(I).roll(1)", "t.tensor(I).cumsum(0).flip(0)",
    "t.tensor([2**53 + 1]).item()", "t.tensor([2**63 - 1]).tolist()", "t.tensor(2**62 + 3).item()",
    "t.tensor(I)[t.tensor(I) > 0]", "t.tensor(I).masked_fill(t.tensor(I) < 0, 2**62 + 1)",
    "t.tensor(I).index_fill(0, t.tensor([1]), 2**53 + 1)", "t.tensor(I).fill_(2**62 + 3)",
    "t.zeros(3, dtype=t.int64).fill_(2**53 + 1)", "t.zeros(11, dtype=t.int64).copy_(t.tensor(I))",
    "t.zeros(11, dtype=t.int64).add_(t.tensor(I))", "t.tensor(I).sub_(t.tensor(I), alpha=2)",
    "t.tensor(I).mul_(3)", "t.tensor(I).floor_divide_(3)", "t.tensor(I).remainder_(7)",
    "t.addcmul(t.tensor(I), t.tensor(I), t.tensor([3] * 11))", "t.tensor(I).heaviside(t.tensor(I[::-1]))",
    "t.tensor([100], dtype=t.int8) + 100", "t.tensor([100], dtype=t.int8) * 3",
    "t.tensor([200], dtype=t.uint8) + t.tensor([100], dtype=t.uint8)", "t.tensor([2**31 - 1], dtype=t.int32) + 1",
    "t.tensor([-128], dtype=t.int8).abs()", "t.tensor([-2**31], dtype=t.int32).neg()",
    "t.tensor([100, 100], dtype=t.int8).sum()", "t.tensor([100, 100], dtype=t.int8).sum(dtype=t.int8)",
    "t.tensor([100, 100], dtype=t.int8).cumsum(0, dtype=t.int8)", "t.tensor([100, 100], dtype=t.int8).prod()",
    "t.tensor([1], dtype=t.int8) + 300", "t.tensor([1], dtype=t.uint8) - 300", "t.tensor([1]) * (2**63 - 1)",
    "t.tensor([1], dtype=t.int8).add(1, alpha=300)", "t.tensor([1]).add(1, alpha=2**62 + 3)",
    "t.tensor([1]).add(t.tensor([1]), alpha=2.5)", "t.tensor([1]).sub(t.tensor([1]), alpha=2.5)",
    "t.tensor([1.]).add(t.tensor([1]), alpha=2.5)", "t.tensor([5], dtype=t.int8).clamp(-300, 300)",
    "t.tensor([5], dtype=t.uint8).clamp(-1, 300)", "t.tensor([5], dtype=t.int8).clamp(0.5, 300.5)",
    "t.tensor([5], dtype=t.int8).clamp_min(300)", "t.tensor([5], dtype=t.int8).clamp_max(-300)",
    "t.tensor([5], dtype=t.int8).clamp_min(100)", "t.tensor(I).clamp_min(2**53 + 1)", "t.tensor(I).clamp_max(-2**62)",
    "t.tensor([1]) + 2**63", "t.tensor([1]) + 2**64", "t.tensor([1], dtype=t.int8) + 2**63",
    "t.tensor([1]) - (-2**63 - 1)", "t.tensor([1]) * -2**63", "t.tensor([1], dtype=t.uint8) - 300",
    "t.tensor([5], dtype=t.int8) == 300", "t.tensor([5], dtype=t.int8) < 300",
    "t.tensor([2**62 + 3]).lerp(t.tensor([1]), 0.5)", "t.tensor([2**53 + 1, -3]).floor()",
    "t.tensor([2**53 + 1, -3]).ceil()", "t.tensor([2**53 + 1, -3]).round()", "t.tensor([2**53 + 1, -3]).trunc()",
    "t.tensor([2**53 + 1, -3], dtype=t.int64).floor_()", "t.tensor([2**53 + 1, -3]).frac()",
    "t.tensor([2**53 + 1, -3]).hypot(t.tensor([1, 1]))",
    "t.tensor([2**53 + 1, 2**53]).isclose(t.tensor([2**53, 2**53]), rtol=0, atol=0)",
    "t.tensor([2**53 + 1, 2**53]).isclose(t.tensor([2**53, 2**53]))", "t.tensor([-2**63, 5]).isclose(t.tensor([2**63 - 1, 5]))",
    "t.tensor([2**53 + 1, 2**53]).allclose(t.tensor([2**53, 2**53]))", "t.tensor([2**53 + 1, 2**53]).equal(t.tensor([2**53, 2**53]))",
    "t.tensor([2**62 + 3, 7]).addcmul(t.tensor([2, 2]), t.tensor([2, 2]), value=2**40)",
    "t.tensor([[2**53 + 1, 1], [3, 2**62 + 3]]).mm(t.tensor([[3, 1], [1, 5]]))", "t.tensor([2**53 + 1, 3]).outer(t.tensor([3, 1]))",
    "t.tensor([2**53 + 1, 3]).kron(t.tensor([3, 1]))", "t.einsum('i,i->', t.tensor([2**53 + 1, 3]), t.tensor([3, 1]))",
    "t.tensor([[2**53 + 1, 2**53 + 2]]).scatter_add(1, t.tensor([[0, 0]]), t.tensor([[2**53 + 1, 2**53 + 2]]))",
    "t.tensor([[2**53 + 1, 2**53 + 2]]).scatter_reduce(1, t.tensor([[0, 0]]), t.tensor([[2**53 + 1, 2**53 + 2]]), 'sum')",
    "t.tensor([[2**53 + 1, 2**53 + 2]]).scatter_reduce(1, t.tensor([[0, 0]]), t.tensor([[2**53 + 1, 3]]), 'prod')",
    "t.tensor([2**53 + 1, 2**53 + 2]).index_add(0, t.tensor([0, 0]), t.tensor([2**53 + 1, 2**53 + 2]))",
    "t.tensor([2**53 + 1, 2**53 + 2]).put_(t.tensor([0, 0]), t.tensor([2**53 + 1, 2**53 + 2]), accumulate=True)",
    "t.zeros(3, dtype=t.int64).index_add_(0, t.tensor([0]), t.tensor([2**53 + 1]), alpha=3)",
    "t.searchsorted(t.tensor([2**53, 2**53 + 2]), t.tensor([2**53 + 1]))",
    "t.bucketize(t.tensor([2**53 + 1]), t.tensor([2**53, 2**53 + 2]))", "t.tensor([2**53 + 1, 5]).isin(t.tensor([2**53]))",
    "t.tensor([2**53 + 1, 2**53 + 2]).cummin(0)", "t.tensor([2**53 + 1, 3, 2**53 + 2]).mode()",
    "t.nn.functional.pad(t.tensor([2**53 + 1]), (1, 1), value=2**53 + 3)",
    "t.tensor([2**53 + 1, 2**53]).nan_to_num()", "t.nn.functional.relu(t.tensor([2**53 + 1, -3]))",
    "t.arange(2**53, 2**53 + 3)", "t.arange(-2**62, -2**62 + 10, 3)", "t.full((2,), 2**62 + 3).sum()",
]

_CONSTRUCTOR_CALLS = [
    "t.tensor(300, dtype=t.uint8)", "t.tensor([300], dtype=t.uint8)", "t.tensor([-1], dtype=t.uint8)",
    "t.tensor(-255, dtype=t.uint8)", "t.tensor(-256, dtype=t.uint8)", "t.tensor(2**63)", "t.tensor([2**64])",
    "t.tensor(-2**63 - 1)", "t.tensor([2**63], dtype=t.uint8)", "t.tensor(2**64, dtype=t.float32)",
    "t.tensor(2**63, dtype=t.float64)", "t.tensor([1, 2**63 - 1])", "t.tensor([1, -2**63])",
    "t.tensor(range(3))", "t.tensor(range(2, 8, 2))", "t.tensor([range(2), range(2)])", "t.as_tensor(range(4), dtype=t.float32)",
    "t.tensor((1, (2, 3)))", "t.tensor([[1, 2], [3]])", "t.tensor([[1, 2], 3])", "t.tensor([1, [2, 3]])",
    "t.tensor(((1, 2), (3, 4)))", "t.tensor([np.int64(2**62 + 3)])", "t.tensor(np.int64(2**62 + 3))",
    "t.tensor([True, False])", "t.tensor([[True, False]])", "t.tensor([np.float32(1.5), 2])",
    "t.tensor([np.bool_(True), False])", "t.tensor([1, 2.5, True])", "t.tensor(t.Size([2, 3]))",
    "t.tensor(300.5, dtype=t.uint8)", "t.tensor(-1.5, dtype=t.uint8)", "t.tensor(127.9, dtype=t.int8)",
    "t.tensor(1e20, dtype=t.int64)", "t.tensor(float('nan'), dtype=t.int64)", "t.tensor(float('inf'), dtype=t.int32)",
    "t.tensor(True, dtype=t.int8)", "t.tensor(-1, dtype=t.bool)", "t.tensor(256, dtype=t.bool)",
    "t.tensor(np.int64(300), dtype=t.uint8)", "t.tensor([np.int64(300)], dtype=t.uint8)",
    "t.tensor(np.array([300]), dtype=t.uint8)", "t.tensor([1.5, 300], dtype=t.uint8)",
    "t.tensor([t.tensor(300)], dtype=t.uint8)", "t.tensor(-129, dtype=t.int8)", "t.tensor(-128, dtype=t.int8)",
    "t.tensor(70000, dtype=t.float16)", "t.tensor('ab')", "t.tensor({1: 2})", "t.tensor((x for x in [1]))",
    "t.tensor([])", "t.tensor([[], []])", "t.tensor(3 + 0j, dtype=t.int64)", "t.tensor([1 + 2j, 3])",
    "t.as_tensor(300, dtype=t.uint8)", "t.as_tensor([300], dtype=t.int8)", "t.as_tensor([1, -2**63 - 1])",
    "t.as_tensor(np.array([300]), dtype=t.uint8)",
    "t.tensor([1]).new_tensor(300, dtype=t.uint8)", "t.tensor([1]).new_tensor([2**62 + 3])",
    "t.tensor([1], dtype=t.int8).new_tensor([200])",
    "t.full((2,), 300, dtype=t.uint8)", "t.full((2,), 300, dtype=t.int8)", "t.full((2,), 2.5, dtype=t.int8)",
    "t.full((2,), 300.0, dtype=t.uint8)", "t.full((2,), -1, dtype=t.uint8)", "t.full((2,), -256, dtype=t.uint8)",
    "t.full((2,), 2**64, dtype=t.float32)", "t.full((2,), 2**64)", "t.full((2,), 2**63)",
    "t.full((2,), 2**63, dtype=t.float32)", "t.full((2,), 2**62 + 3)", "t.full((2,), -2**63)",
    "t.full((2,), float('nan'), dtype=t.int32)", "t.full((2,), True, dtype=t.uint8)",
    "t.tensor([1, 2]).new_full((2,), 2**63)", "t.tensor([1, 2]).new_full((2,), 2**62 + 3)",
    "t.full_like(t.tensor([1, 2], dtype=t.int8), 200)", "t.full_like(t.tensor([1, 2]), 2**62 + 3)",
]

CALLS = _division_calls() + _INT64_CALLS + _CONSTRUCTOR_CALLS


def evaluate(lib, src):
    """(result, None) or (None, exception) of `src` with `t` = lib."""
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eval(src, {"t": lib, "I": list(I64), "np": np}), None  # noqa: S307 - test-owned expressions
    except Exception as e:  # noqa: BLE001 - the oracle's error type is what we compare
        return None, e
