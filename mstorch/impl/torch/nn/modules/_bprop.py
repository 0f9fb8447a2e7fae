"""Modules written for the older MindSpore adapter define `bprop(self, *inputs, out, dout)`
as their custom backward; it is honoured here (inputs positionally, then the forward
output and its gradient; it returns one gradient per input)."""
from dispatch import Tensor
from dispatch.autograd.function import Function


class _BpropFunction(Function):
    @staticmethod
    def forward(ctx, module, n_args, *args):
        ctx.module = module
        ctx.inputs = args
        out = module.forward(*args)
        ctx.out = out.detach() if isinstance(out, Tensor) else tuple(o.detach() for o in out)
        return out

    @staticmethod
    def backward(ctx, *douts):
        dout = douts[0] if len(douts) == 1 else douts
        grads = ctx.module.bprop(*ctx.inputs, ctx.out, dout)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(ctx.inputs):
            raise RuntimeError(f"{type(ctx.module).__name__}.bprop returned {len(grads)} gradients for "
                               f"{len(ctx.inputs)} inputs")
        return (None, None) + tuple(g if isinstance(g, Tensor) else None for g in grads)


def call_with_bprop(module, args, kwargs):
    if kwargs:
        raise NotImplementedError(f"mstorch: {type(module).__name__}.bprop with keyword arguments to forward is "
                                  "not supported")
    return _BpropFunction.apply(module, len(args), *args)
