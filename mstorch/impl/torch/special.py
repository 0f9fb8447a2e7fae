"""torch.special: PyTorch's aliases and the few functions that compose from table ops
(i0 and i1 are table entries of their own, served first by the proxy)."""
import math

from mstorch.impl.torch._ns import torch as _t

_SQRT2 = math.sqrt(2.0)


def _out(result, out):
    if out is None:
        return result
    return out.copy_(result) if out.shape == result.shape else out.resize_(result.shape).copy_(result)


def _alias(op_name, doc):
    def fn(input, *, out=None):
        return getattr(_t, op_name)(input, out=out) if out is not None else getattr(_t, op_name)(input)
    fn.__name__ = doc
    fn.__qualname__ = doc
    return fn


expit = _alias("sigmoid", "expit")
erf = _alias("erf", "erf")
erfc = _alias("erfc", "erfc")
erfinv = _alias("erfinv", "erfinv")
gammaln = _alias("lgamma", "gammaln")
digamma = _alias("digamma", "digamma")
psi = _alias("digamma", "psi")
log1p = _alias("log1p", "log1p")
expm1 = _alias("expm1", "expm1")
exp2 = _alias("exp2", "exp2")
sinc = _alias("sinc", "sinc")


def logit(input, eps=None, *, out=None):
    return _out(_t.logit(input, eps), out)


def xlogy(input, other, *, out=None):
    return _out(_t.xlogy(input, other), out)


def xlog1py(input, other, *, out=None):
    if not isinstance(input, _t.Tensor):
        input = _t.tensor(input, dtype=other.dtype)
    if not isinstance(other, _t.Tensor):
        other = _t.tensor(other, dtype=input.dtype if input.is_floating_point() else _t.get_default_dtype())
    r = input * _t.log1p(other)
    # PyTorch: 0 where input == 0 (unless other is nan), like xlogy
    return _out(_t.where((input == 0) & ~_t.isnan(other), _t.zeros_like(r), r), out)


def polygamma(n, input, *, out=None):
    return _out(_t.polygamma(n, input), out)


def multigammaln(input, p, *, out=None):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if bool((input <= (p - 1) / 2).any()):
        raise RuntimeError(f"All elements must be greater than (p-1)/2")
    js = _t.arange(p, dtype=input.dtype)
    r = (_t.lgamma(input.unsqueeze(-1) - js / 2)).sum(-1) + p * (p - 1) / 4 * math.log(math.pi)
    return _out(r, out)


def ndtr(input, *, out=None):
    x = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    return _out(0.5 * _t.erfc(-x / _SQRT2), out)


def ndtri(input, *, out=None):
    p = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    return _out(_SQRT2 * _t.erfinv(2 * p - 1), out)


def log_ndtr(input, *, out=None):
    x = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    # log(erfc(-x/sqrt2)/2) underflows for x < -10; there the asymptotic series of log Phi is used.
    direct = _t.log(0.5 * _t.erfc(-x / _SQRT2))
    xs = _t.where(x < -10, x, _t.full_like(x, -10.0))
    z2 = xs * xs
    tail = -0.5 * z2 - _t.log(-xs) - 0.5 * math.log(2 * math.pi) + _t.log1p(-1 / z2 + 3 / z2 ** 2 - 15 / z2 ** 3 + 105 / z2 ** 4)
    return _out(_t.where(x < -10, tail, direct), out)


def entr(input, *, out=None):
    x = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    safe = _t.where(x > 0, x, _t.ones_like(x))
    r = _t.where(x > 0, -x * _t.log(safe), _t.where(x == 0, _t.zeros_like(x), _t.full_like(x, -math.inf)))
    return _out(_t.where(_t.isnan(x), x, r), out)


def round(input, *, decimals=0, out=None):
    return _out(_t.round(input, decimals=decimals), out)


def softmax(input, dim, *, dtype=None):
    return _t.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    return _t.log_softmax(input, dim, dtype=dtype)


def logsumexp(input, dim, keepdim=False, *, out=None):
    return _out(_t.logsumexp(input, dim, keepdim), out)


def i0e(input, *, out=None):
    x = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    return _out(_t.special.i0(x) * _t.exp(-_t.abs(x)), out)


def i1e(input, *, out=None):
    x = input if input.is_floating_point() else input.to(_t.get_default_dtype())
    return _out(_t.special.i1(x) * _t.exp(-_t.abs(x)), out)
