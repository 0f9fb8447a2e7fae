"""Module full backward hooks: identity Functions around a module's inputs and outputs
capture grad_output (then pre-hooks run) and grad_input (then hooks run)."""
from dispatch import Tensor
from dispatch.autograd.function import Function


class _State:
    def __init__(self, module, n_inputs):
        self.module = module
        self.grad_output = None
        self.n_inputs = n_inputs
        self.input_grads = [None] * n_inputs
        self.pending = 0


class _InputId(Function):
    @staticmethod
    def forward(ctx, state, *xs):
        ctx.state = state
        return tuple(x.view_as(x) for x in xs) if len(xs) != 1 else xs[0].view_as(xs[0])

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        module = state.module
        grads = tuple(grads)
        for hook in module._backward_hooks.values():
            r = hook(module, grads, state.grad_output or ())
            if r is not None:
                grads = tuple(r)
        return (None,) + grads


class _OutputId(Function):
    @staticmethod
    def forward(ctx, state, *ys):
        ctx.state = state
        return tuple(y.view_as(y) for y in ys) if len(ys) != 1 else ys[0].view_as(ys[0])

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        module = state.module
        for hook in module._backward_pre_hooks.values():
            r = hook(module, grads)
            if r is not None:
                grads = tuple(r)
        state.grad_output = tuple(grads)
        if state.n_inputs == 0:
            for hook in module._backward_hooks.values():
                hook(module, (), state.grad_output)
        return (None,) + tuple(grads)


def wrap_inputs(module, args):
    idx = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
    state = _State(module, len(idx))
    if not idx:
        return args, state
    wrapped = _InputId.apply(state, *[args[i] for i in idx])
    wrapped = wrapped if isinstance(wrapped, tuple) else (wrapped,)
    args = list(args)
    for i, w in zip(idx, wrapped):
        args[i] = w
    return tuple(args), state


def wrap_outputs(module, state, result):
    single = isinstance(result, Tensor)
    outs = (result,) if single else result
    if not isinstance(outs, tuple) or not all(isinstance(o, Tensor) for o in outs):
        raise NotImplementedError("mstorch: full backward hooks on modules returning non-Tensor outputs are not "
                                  "supported yet")
    if not any(o.requires_grad for o in outs):
        return result
    wrapped = _OutputId.apply(state, *outs)
    return wrapped
