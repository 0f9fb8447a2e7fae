"""torch.autograd.functional: vjp, jvp (via double vjp), jacobian, hessian, vhp, hvp.

`vectorize` only chooses how PyTorch batches the rows (vmap or a loop); the rows are computed
one by one here either way, with the same numbers. strategy="forward-mode" gives the same
Jacobian, computed by reverse rows (mstorch's autograd is reverse mode only). strict=True
(refuse outputs independent of an input) is not implemented and raises naming itself.
"""
from dispatch import Tensor
from dispatch.autograd.api import grad as _grad
from mstorch.impl.torch.grad_mode import enable_grad


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _refuse_strict(strict, api):
    if strict:
        raise NotImplementedError(f"mstorch: torch.autograd.functional.{api}(strict=True) is not supported")


def _check_strategy(strategy, create_graph, vectorize):
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                      '`strategy="forward-mode"` are not supported together (yet). Please either '
                                      'set `create_graph=False` or `strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                                      "only implemented for `vectorize=True`.")


def _prepare(inputs, create_graph):
    return tuple(i.detach().requires_grad_(True) if not create_graph or not i.requires_grad else i.view_as(i)
                 for i in inputs)


def _zeros_for(grads, inputs):
    from dispatch.opsns import T
    return tuple(T.zeros_like(i) if g is None else g for g, i in zip(grads, inputs))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    _refuse_strict(strict, "vjp")
    single = isinstance(inputs, Tensor)
    inputs = _prepare(_as_tuple(inputs), create_graph)
    with enable_grad():
        outputs = func(*inputs)
        outs = _as_tuple(outputs)
        vs = _as_tuple(v) if v is not None else tuple(None for _ in outs)
        grads = _grad(outs, inputs, grad_outputs=vs, create_graph=create_graph, allow_unused=True)
    grads = _zeros_for(grads, inputs)
    if not create_graph:
        outputs = outputs.detach() if isinstance(outputs, Tensor) else tuple(o.detach() for o in outputs)
        grads = tuple(g.detach() for g in grads)
    return outputs, grads[0] if single else grads


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """Forward-mode product computed with the double-vjp trick (two reverse passes)."""
    _refuse_strict(strict, "jvp")
    from dispatch.opsns import T
    single = isinstance(inputs, Tensor)
    inputs = _prepare(_as_tuple(inputs), True)
    vs = _as_tuple(v) if v is not None else tuple(T.ones_like(i) for i in inputs)
    with enable_grad():
        outputs = func(*inputs)
        outs = _as_tuple(outputs)
        us = tuple(T.zeros_like(o).requires_grad_(True) for o in outs)
        gs = _grad(outs, inputs, grad_outputs=us, create_graph=True, allow_unused=True)
        pairs = [(g, vv) for g, vv in zip(gs, vs) if g is not None]
        res = _grad([g for g, _ in pairs], us, grad_outputs=[vv for _, vv in pairs], create_graph=create_graph,
                    allow_unused=True)
    res = _zeros_for(res, outs)
    if not create_graph:
        outputs = outputs.detach() if isinstance(outputs, Tensor) else tuple(o.detach() for o in outputs)
        res = tuple(r.detach() for r in res)
    return outputs, res[0] if isinstance(outputs, Tensor) else res


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    from dispatch.opsns import T
    _check_strategy(strategy, create_graph, vectorize)
    if strict and vectorize:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                           "supported together. Please either set `strict=False` or `vectorize=False`.")
    _refuse_strict(strict, "jacobian")
    single_in = isinstance(inputs, Tensor)
    inputs = _prepare(_as_tuple(inputs), create_graph)
    with enable_grad():
        outputs = func(*inputs)
    single_out = isinstance(outputs, Tensor)
    outs = _as_tuple(outputs)
    jac = []
    for o in outs:
        flat = o.reshape(-1)
        rows = [[] for _ in inputs]
        for k in range(flat.numel()):
            with enable_grad():
                gs = _grad(flat[k] if hasattr(flat, "__getitem__") else flat.select(0, k), inputs,
                           retain_graph=True, create_graph=create_graph, allow_unused=True)
            for j, (g, i) in enumerate(zip(gs, inputs)):
                rows[j].append(T.zeros_like(i) if g is None else g)
        per_input = []
        for j, i in enumerate(inputs):
            if rows[j]:
                block = T.stack(rows[j], 0).reshape(tuple(o.shape) + tuple(i.shape))
            else:
                block = T.zeros(tuple(o.shape) + tuple(i.shape), dtype=i.dtype)
            per_input.append(block if create_graph else block.detach())
        jac.append(per_input[0] if single_in else tuple(per_input))
    return jac[0] if single_out else tuple(jac)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    single = isinstance(inputs, Tensor)
    _refuse_strict(strict, "hessian")
    _check_strategy(outer_jacobian_strategy, create_graph, vectorize)

    def grad_fn(*xs):
        with enable_grad():
            out = func(*xs)
            if not isinstance(out, Tensor) or out.numel() != 1:
                raise RuntimeError("The function given to hessian should return a single Tensor with a single "
                                   "element.")
            gs = _grad(out, xs, create_graph=True, allow_unused=True)
        gs = _zeros_for(gs, xs)
        return gs[0] if single else gs
    return jacobian(grad_fn, inputs, create_graph=create_graph, vectorize=vectorize,
                    strategy=outer_jacobian_strategy)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    _refuse_strict(strict, "vhp")
    single = isinstance(inputs, Tensor)
    inputs = _prepare(_as_tuple(inputs), True)
    with enable_grad():
        out = func(*inputs)
        gs = _grad(out, inputs, create_graph=True, allow_unused=True)
        res = _grad(gs, inputs, grad_outputs=_as_tuple(v), create_graph=create_graph, allow_unused=True)
    res = _zeros_for(res, inputs)
    if not create_graph:
        out, res = out.detach(), tuple(r.detach() for r in res)
    return out, res[0] if single else res


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    # the Hessian is symmetric for the twice-differentiable functions these take, so H v = v H
    _refuse_strict(strict, "hvp")
    return vhp(func, inputs, v, create_graph)
