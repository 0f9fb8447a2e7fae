"""torch.utils.checkpoint: activation checkpointing. The forward runs without recording
a graph; backward re-runs the function with grad enabled (same RNG state) and
back-propagates through the recomputed graph.

Both `use_reentrant` modes are one autograd.Function here. The recomputation calls
`backward()` inside backward, so parameter grads accumulate into `.grad` as in PyTorch's
reentrant variant; `torch.autograd.grad(loss, params)` over a checkpointed region (which
only PyTorch's non-reentrant variant supports) is not supported and raises."""
import contextlib
import warnings

from mstorch.impl.torch._ns import torch as _t


def noop_context_fn():
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs):
    if not isinstance(inputs, tuple):
        raise RuntimeError(f"Only tuple of tensors is supported. Got Unsupported input type: {type(inputs).__name__}")
    out = []
    for x in inputs:
        if not isinstance(x, _t.Tensor):
            out.append(x)
            continue
        d = x.detach()
        d.requires_grad = x.requires_grad
        out.append(d)
    return tuple(out)


def _make_function():
    class CheckpointFunction(_t.autograd.Function):
        @staticmethod
        def forward(ctx, run, preserve_rng_state, recompute_ctx, kwargs, *args):
            ctx.run, ctx.kwargs, ctx.recompute_ctx = run, kwargs, recompute_ctx
            ctx.rng_state = _t.get_rng_state() if preserve_rng_state else None
            ctx.tensor_pos = [i for i, a in enumerate(args) if isinstance(a, _t.Tensor)]
            ctx.others = [None if isinstance(a, _t.Tensor) else a for a in args]
            ctx.save_for_backward(*[args[i] for i in ctx.tensor_pos])
            with _t.no_grad():
                return run(*args, **kwargs)

        @staticmethod
        def backward(ctx, *grads):
            saved = ctx.saved_tensors
            args = list(ctx.others)
            for i, t in zip(ctx.tensor_pos, saved):
                d = t.detach()
                d.requires_grad = t.requires_grad
                args[i] = d
            state = _t.get_rng_state() if ctx.rng_state is not None else None
            if state is not None:
                _t.set_rng_state(ctx.rng_state)
            try:
                with _t.enable_grad(), ctx.recompute_ctx:
                    outputs = ctx.run(*args, **ctx.kwargs)
            finally:
                if state is not None:
                    _t.set_rng_state(state)
            outputs = outputs if isinstance(outputs, tuple) else (outputs,)
            pairs = [(o, g) for o, g in zip(outputs, grads)
                     if isinstance(o, _t.Tensor) and o.requires_grad and g is not None]
            if not pairs:
                raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not necessary")
            _t.autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
            in_grads = tuple(a.grad if isinstance(a, _t.Tensor) else None for a in args)
            return (None, None, None, None) + in_grads
    return CheckpointFunction


_FN = []


def _function():
    if not _FN:
        _FN.append(_make_function())
    return _FN[0]


def checkpoint(function, *args, use_reentrant=None, context_fn=noop_context_fn, determinism_check="default",
               debug=False, early_stop=True, **kwargs):
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default "
                      "behavior, you can pass use_reentrant=True.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if use_reentrant and context_fn is not noop_context_fn:
        raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
    if determinism_check not in ("default", "none"):
        raise ValueError(f"determinism_check should be one of ['default', 'none'], but got {determinism_check}")
    fwd_ctx, recompute_ctx = context_fn()
    if not _t.is_grad_enabled():
        with fwd_ctx:
            return function(*args, **kwargs)
    if use_reentrant and not any(isinstance(a, _t.Tensor) and a.requires_grad for a in args):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2)
    if not use_reentrant and not any(isinstance(a, _t.Tensor) and a.requires_grad for a in args):
        # The non-reentrant variant differentiates through parameters used inside the function
        # even when no input needs grad: recompute lazily through a dummy input that does.
        dummy = _t.empty((0,), requires_grad=True)
        out = _function().apply(lambda _d, *a, **k: function(*a, **k), preserve, recompute_ctx, kwargs,
                                dummy, *args)
        return out
    with fwd_ctx:
        return _function().apply(function, preserve, recompute_ctx, kwargs, *args)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
                      "passed explicitly.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if isinstance(functions, _t.nn.Sequential):
        functions = list(functions.children())
    functions = list(functions)

    def run(start, end):
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
