"""_fused_adam_ / _fused_adamw_ / _fused_sgd_ on MindSpore arrays: parameters, gradients and
optimizer state are written in place (the dispatcher hands over storage roots;
dispatch/written_args.py).

On CPU, float32 and float64 Adam/AdamW run optim_math.adam_step_exact: NumPy over the
arrays' own memory with PyTorch's rounding op by op (bit-equal to torch's fused kernel over
100 steps; within a few ulps of its single-tensor loop, whose vectorized sqrt is not always
correctly rounded: tests/test_optim_exact.py). MindSpore's Adam primitive (used before, and
still elsewhere for float32) forms 1 - beta2 in float32, so exp_avg_sq drifted ~2e-5
relative from PyTorch's; it remains the path on other device targets, where the arrays'
memory is not host memory: lr_t = lr*sqrt(1-b2^t)/(1-b1^t) in double, beta powers 0 and
eps*sqrt(1-b2^t) give PyTorch's update but for that constant.
Other dtypes go through ops_table/optim/optim_math.py with MindSpore arithmetic in
float32 (float16: MindSpore's Adam silently leaves it unchanged) or float64 (no Adam
kernel), written back with Assign.

SGD runs ApplyGradientDescent (no momentum) or ApplyMomentum, whose buffer update
buf*m + g and parameter update p - lr*buf round like PyTorch's (buffer bit-equal, parameter
within 1 ulp per step, measured); its Nesterov form differs from PyTorch's, so Nesterov
goes through optim_math.py."""
import functools

import numpy as np

from ops_table.common._ms import from_host, host_array, np_dtype, prim, scalar
from ops_table.optim.optim_math import adam_step_exact, adam_update, bias_corrections, sgd_update


def _number(x):
    return x if isinstance(x, (int, float)) else x.asnumpy().item()


def _fused_adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, beta1, beta2, weight_decay,
                eps, amsgrad, maximize, grad_scale, found_inf, decoupled):
    if found_inf is not None and _number(found_inf) == 1.0:
        return  # PyTorch's kernel leaves everything, gradients included, untouched
    lr = _number(lr)
    for i, p in enumerate(params):
        if 0 in p.shape:
            continue  # nothing to update, and some MindSpore CPU kernels fault on empty inputs
        g = _unscaled(grads[i], grad_scale)
        step = _number(state_steps[i])
        vmax = max_exp_avg_sqs[i] if amsgrad else None
        hosts = _host_views(p, g, exp_avgs[i], exp_avg_sqs[i], vmax)
        if hosts is not None:
            adam_step_exact(*hosts, step=step, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                            maximize=maximize, decoupled=decoupled)
            continue
        if not _primitive_ready(p):
            _generic(adam_update, (p, exp_avgs[i], exp_avg_sqs[i], vmax), (p, g, exp_avgs[i], exp_avg_sqs[i], vmax),
                     step=step, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                     maximize=maximize, decoupled=decoupled)
            continue
        if maximize:
            g = prim("Neg")(g)
        if weight_decay != 0:
            if decoupled:
                _scale_in_place(p, 1 - lr * weight_decay)
            else:
                g = prim("Add")(g, prim("Mul")(p, scalar(weight_decay, p)))
        bc1, bc2_sqrt = bias_corrections(step, beta1, beta2)
        # 0-d tensors, not Python floats: MindSpore treats a float argument as a constant, and
        # each new value (lr_t changes every step) costs ~1 ms of kernel rebuilding (measured).
        consts = [scalar(c, p) for c in (0.0, 0.0, lr / bc1 * bc2_sqrt, beta1, beta2, eps * bc2_sqrt)]
        if amsgrad:
            prim("ApplyAdamWithAmsgradV2")(p, exp_avgs[i], exp_avg_sqs[i], vmax, *consts, g)
        else:
            prim("Adam")(p, exp_avgs[i], exp_avg_sqs[i], *consts, g)


def _host_views(*arrays):
    """NumPy arrays over the MindSpore arrays' own memory (None entries kept), when every array
    is a float32/float64 CPU array of one dtype; else None."""
    if not _on_cpu() or str(arrays[0].dtype) not in ("Float32", "Float64"):
        return None
    if any(a is not None and a.dtype != arrays[0].dtype for a in arrays):
        return None
    hosts = tuple(None if a is None else host_array(a) for a in arrays)
    written = hosts[:1] + hosts[2:]  # all but the gradient are updated through flat views
    return hosts if all(h is None or h.flags.c_contiguous for h in written) else None


_cpu = []


def _on_cpu():
    if not _cpu:
        import mindspore
        _cpu.append(mindspore.get_context("device_target") == "CPU")
    return _cpu[0]


def _scale_in_place(p, factor):
    """p *= factor. Where the array's NumPy alias is its own memory (MindSpore on CPU) one
    NumPy pass does it: 0.23 ms on 4M floats against 2.1 ms for Mul + Assign (measured;
    ApplyGradientDescent(p, 1 - factor, p) takes as long). Elsewhere MindSpore's kernels."""
    host = p.asnumpy()
    if host.ctypes.data == p.data_ptr():
        np.multiply(host, host.dtype.type(factor), out=host)
    else:
        prim("Assign")(p, prim("Mul")(p, scalar(factor, p)))


class _MsArith:
    @staticmethod
    def sqrt(a):
        return prim("Sqrt")(a)

    @staticmethod
    def maximum(a, b):
        return prim("Maximum")(a, b)

    scalar = staticmethod(scalar)


def fused_sgd(params, grads, momentum_buffer_list, weight_decay, momentum, lr, dampening, nesterov, maximize,
              is_first_step, grad_scale, found_inf):
    if found_inf is not None and _number(found_inf) == 1.0:
        return
    lr = _number(lr)
    for i, p in enumerate(params):
        if 0 in p.shape:
            continue
        g = _unscaled(grads[i], grad_scale)
        buf = momentum_buffer_list[i] if momentum != 0 else None
        if nesterov or not _primitive_ready(p):
            _generic(sgd_update, (p, buf), (p, g, None if is_first_step else buf), lr=lr, weight_decay=weight_decay,
                     momentum=momentum, dampening=dampening, nesterov=nesterov, maximize=maximize,
                     first_step=is_first_step)
            continue
        if maximize:
            g = prim("Neg")(g)
        if weight_decay != 0:
            g = prim("Add")(g, prim("Mul")(p, scalar(weight_decay, p)))
        if buf is not None and not is_first_step:
            if dampening != 0:
                g = prim("Mul")(g, scalar(1 - dampening, g))
            prim("ApplyMomentum")(p, buf, scalar(lr, p), g, scalar(momentum, p))
            continue
        if buf is not None:
            prim("Assign")(buf, g)  # the first step's buffer is the gradient itself
        prim("ApplyGradientDescent")(p, scalar(lr, p), g)


def _primitive_ready(p):
    return str(p.dtype) == "Float32" and bool(p.shape)  # the primitives take float32 of at least one dim


def _unscaled(g, grad_scale):
    if grad_scale is None:
        return g
    host = g.asnumpy()
    g_new = from_host(np.divide(host, np.asarray(grad_scale.asnumpy(), host.dtype)))
    prim("Assign")(g, g_new)  # PyTorch leaves the unscaled gradient in grads
    return g_new


def _generic(update, dsts, ins, **hyper):
    """`update` (optim_math.py) with MindSpore arithmetic in float32 (float64 for float64
    tensors), the results assigned into `dsts`."""
    work = np.float64 if str(dsts[0].dtype) == "Float64" else np.float32
    ins = [None if a is None else from_host(a.asnumpy().astype(work)) for a in ins]
    news = update(_MsArith, *ins, **hyper)
    for dst, new in zip(dsts, news):
        if dst is not None:
            prim("Assign")(dst, from_host(new.asnumpy().astype(np_dtype(dst))))


fused_adam = functools.partial(_fused_adam, decoupled=False)
fused_adamw = functools.partial(_fused_adam, decoupled=True)
