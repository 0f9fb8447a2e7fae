"""_fused_adam_ / _fused_adamw_ / _fused_sgd_ on host arrays (forked workers): the
dispatcher hands over NumPy views of the tensors' own elements, so writing them is writing
the tensors. Arithmetic in float32 (float64 for float64), PyTorch's order (optim_math.py)."""
import functools

import numpy as np

from ops_table.optim.optim_math import adam_step_exact, adam_update, sgd_update


class _NpArith:
    sqrt = staticmethod(np.sqrt)
    maximum = staticmethod(np.maximum)

    @staticmethod
    def scalar(value, like):
        return np.asarray(value, like.dtype)


def _skip(found_inf):
    return found_inf is not None and np.asarray(found_inf).item() == 1.0


def _unscaled(g, grad_scale, work):
    if grad_scale is not None:
        np.copyto(g, np.divide(g.astype(work), np.asarray(grad_scale, work)), casting="unsafe")
    return np.asarray(g, work)


def _apply(update, dsts, ins, work, **hyper):
    ins = [None if a is None else np.asarray(a, work) for a in ins]
    for dst, new in zip(dsts, update(_NpArith, *ins, **hyper)):
        if dst is not None:
            np.copyto(dst, new, casting="unsafe")


def _number(x):
    return x if isinstance(x, (int, float)) else np.asarray(x).item()


def _work(p):
    return np.float64 if p.dtype == np.float64 else np.float32


def _fused_adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, beta1, beta2, weight_decay,
                eps, amsgrad, maximize, grad_scale, found_inf, decoupled):
    if _skip(found_inf):
        return
    for i, p in enumerate(params):
        work = _work(p)
        g = _unscaled(grads[i], grad_scale, work)
        vmax = max_exp_avg_sqs[i] if amsgrad else None
        if p.dtype in (np.float32, np.float64) and all(
                a is None or a.flags.c_contiguous for a in (p, exp_avgs[i], exp_avg_sqs[i], vmax)):
            adam_step_exact(p, g, exp_avgs[i], exp_avg_sqs[i], vmax, step=np.asarray(state_steps[i]).item(),
                            lr=_number(lr), beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                            maximize=maximize, decoupled=decoupled)
            continue
        _apply(adam_update, (p, exp_avgs[i], exp_avg_sqs[i], vmax), (p, g, exp_avgs[i], exp_avg_sqs[i], vmax), work,
               step=np.asarray(state_steps[i]).item(), lr=_number(lr), beta1=beta1, beta2=beta2, weight_decay=weight_decay,
               eps=eps, maximize=maximize, decoupled=decoupled)


def fused_sgd(params, grads, momentum_buffer_list, weight_decay, momentum, lr, dampening, nesterov, maximize,
              is_first_step, grad_scale, found_inf):
    if _skip(found_inf):
        return
    for i, p in enumerate(params):
        work = _work(p)
        g = _unscaled(grads[i], grad_scale, work)
        buf = momentum_buffer_list[i] if momentum != 0 else None
        _apply(sgd_update, (p, buf), (p, g, None if is_first_step else buf), work, lr=_number(lr),
               weight_decay=weight_decay, momentum=momentum, dampening=dampening, nesterov=nesterov,
               maximize=maximize, first_step=is_first_step)


fused_adam = functools.partial(_fused_adam, decoupled=False)
fused_adamw = functools.partial(_fused_adam, decoupled=True)
