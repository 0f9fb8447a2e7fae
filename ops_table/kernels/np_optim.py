"""_fused_adam_ / _fused_adamw_ on host arrays (forked workers): the dispatcher hands over
NumPy views of the tensors' own elements, so writing them is writing the tensors."""
import functools

import numpy as np

from ops_table.kernels.adam_math import adam_update


class _NpArith:
    sqrt = staticmethod(np.sqrt)
    maximum = staticmethod(np.maximum)

    @staticmethod
    def scalar(value, like):
        return np.asarray(value, like.dtype)


def _fused(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, beta1, beta2, weight_decay,
           eps, amsgrad, maximize, grad_scale, found_inf, decoupled):
    if found_inf is not None and float(found_inf) == 1.0:
        return
    lr = float(lr)
    for i, p in enumerate(params):
        work = np.float64 if p.dtype == np.float64 else np.float32
        if grad_scale is not None:
            np.copyto(grads[i], np.divide(grads[i].astype(work), np.asarray(grad_scale, work)), casting="unsafe")
        vmax = max_exp_avg_sqs[i] if amsgrad else None
        dsts = (p, exp_avgs[i], exp_avg_sqs[i], vmax)
        ins = [None if a is None else np.asarray(a, work) for a in (p, grads[i], exp_avgs[i], exp_avg_sqs[i], vmax)]
        news = adam_update(_NpArith, ins[0], ins[1], ins[2], ins[3], ins[4], step=float(state_steps[i]), lr=lr,
                           beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, maximize=maximize,
                           decoupled=decoupled)
        for dst, new in zip(dsts, news):
            if dst is not None:
                np.copyto(dst, new, casting="unsafe")


fused_adam = functools.partial(_fused, decoupled=False)
fused_adamw = functools.partial(_fused, decoupled=True)
