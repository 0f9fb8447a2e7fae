"""nll_loss_forward / nll_loss_backward on MindSpore: the NLLLoss and NLLLossGrad
primitives, 18 + 27 us on (64, 10) where the one-hot composite took ~1 ms (measured).
Exact against PyTorch with weights and ignore_index, also when every target is ignored
(NaN mean, zero gradient), except that NLLLoss's 'none' output is not zeroed at some
ignored targets: masked here. They take 2-D logits only, so a 1-D input is run as one row;
PyTorch reports total_weight 0 for a 2-D input with reduction 'none', MindSpore the sum."""
import numpy as np

from ops_table.common._ms import from_host, np_dtype, prim

REDUCTIONS = ("none", "mean", "sum")  # PyTorch's Reduction enum: 0, 1, 2
_ON_HOST = ("float32", "float64")


def _rows(x, target):
    if len(x.shape) == 1:
        return prim("Reshape")(x, (1, x.shape[0])), prim("Reshape")(target, (1,))
    return x, target


def _weight(weight, x):
    if weight is not None:
        return weight
    return from_host(np.ones(x.shape[-1], dtype=np_dtype(x)))


def _host_float64(fn, *arrays):
    """MindSpore's NLLLoss/NLLLossGrad compute float64 in float32 (~1e-8 off), and on CPU each
    call of either keeps ~1.3 KB of native memory for its reduction/ignore_index inputs (a
    MindSpore leak, see ops_table/common/_ms.py prim): NumPy computes float32 and float64."""
    from ops_table.nn_loss import host as np_loss
    host = [None if a is None or isinstance(a, (int, float)) else a.asnumpy() for a in arrays]
    out = getattr(np_loss, fn)(*[h if h is not None else a for h, a in zip(host, arrays)])
    return tuple(from_host(np.array(o, order="C")) for o in out) if isinstance(out, tuple) else \
        from_host(np.array(out, order="C"))


def nll_loss_forward(x, target, weight, reduction, ignore_index):
    if np_dtype(x) in _ON_HOST:
        return _host_float64("nll_loss_forward", x, target, weight, reduction, ignore_index)
    x2, t2 = _rows(x, target)
    out, total = prim("NLLLoss", REDUCTIONS[reduction], ignore_index)(x2, t2, _weight(weight, x))
    if reduction == 0:
        ignored = target.asnumpy().reshape(-1) == ignore_index
        if ignored.any():  # NLLLoss's 'none' output keeps -x[t] at some ignored targets (measured)
            out = prim("Select")(from_host(~ignored), out, prim("ZerosLike")(out))
        if len(x.shape) == 1:
            out = prim("Reshape")(out, ())
        else:
            total = prim("ZerosLike")(total)
    return out, total


def nll_loss_backward(grad_output, x, target, weight, reduction, ignore_index, total_weight):
    if np_dtype(x) in _ON_HOST:
        return _host_float64("nll_loss_backward", grad_output, x, target, weight, reduction, ignore_index,
                             total_weight)
    x2, t2 = _rows(x, target)
    g = grad_output
    if reduction == 0 and len(x.shape) == 1:
        g = prim("Reshape")(g, (1,))
    grad = prim("NLLLossGrad", REDUCTIONS[reduction], ignore_index)(x2, g, t2, _weight(weight, x), total_weight)
    return prim("Reshape")(grad, x.shape) if len(x.shape) == 1 else grad
