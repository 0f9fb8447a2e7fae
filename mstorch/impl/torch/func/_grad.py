"""torch.func.grad / grad_and_value / vjp on mstorch's tape autograd (no vmap levels).

Inputs that do not require grad are tracked through a fresh leaf; inputs that already
require grad are used as they are, so an enclosing autograd computation (or an outer
torch.func.grad) still differentiates through the result: the graph is kept
(create_graph) exactly when some input was already tracked.
"""
import functools

from mstorch.impl.torch.utils import _pytree as pytree


def _torch():
    from mstorch.impl.torch._ns import torch
    return torch


def _track(args, argnums):
    torch = _torch()
    picked = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not picked:
        raise RuntimeError("argnums must be non-empty")
    for n in picked:
        if not isinstance(n, int) or not -len(args) <= n < len(args):
            raise RuntimeError(f"Got argnums={argnums}, but only {len(args)} positional inputs")
    args = list(args)
    outer = False
    for n in picked:
        leaves, spec = pytree.tree_flatten(args[n])
        for leaf in leaves:
            if not isinstance(leaf, torch.Tensor):
                raise RuntimeError(f"Expected arguments at argnums={argnums} to be Tensors or pytrees of Tensors, "
                                   f"got {type(leaf)}")
            outer = outer or leaf.requires_grad
        args[n] = pytree.tree_unflatten([t if t.requires_grad else t.detach().requires_grad_() for t in leaves],
                                        spec)
    chosen = args[picked[0]] if isinstance(argnums, int) else tuple(args[n] for n in picked)
    return args, chosen, outer


def _grads(outputs, inputs, grad_outputs, keep_graph):
    torch = _torch()
    flat_in, spec = pytree.tree_flatten(inputs)
    found = torch.autograd.grad(outputs, flat_in, grad_outputs=grad_outputs, create_graph=keep_graph,
                                retain_graph=True, allow_unused=True)
    return pytree.tree_unflatten([torch.zeros_like(x) if g is None else g for g, x in zip(found, flat_in)], spec)


def grad_and_value(func, argnums=0, has_aux=False):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        torch = _torch()
        with torch.enable_grad():
            args, chosen, outer = _track(args, argnums)
            result = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: "
                                       "(output, aux) if has_aux is True")
                result, aux = result
            if not isinstance(result, torch.Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                                   f"{type(result)}")
            if result.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {result.dim()} dims. Maybe you wanted to use the vjp or jacrev "
                                   "APIs instead?")
            grads = _grads([result], chosen, None, outer)
        value = result if outer else result.detach()
        return (grads, (value, aux)) if has_aux else (grads, value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    inner = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grads, value = inner(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return wrapper


def vjp(func, *primals, has_aux=False):
    torch = _torch()
    with torch.enable_grad():
        args, chosen, outer = _track(primals, tuple(range(len(primals))))
        result = func(*args)
        aux = None
        if has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError("vjp(f, *primals): output of function f should be a tuple: (output, aux) if "
                                   "has_aux is True")
            result, aux = result
    flat_out, out_spec = pytree.tree_flatten(result)
    for t in flat_out:
        if not isinstance(t, torch.Tensor):
            raise RuntimeError(f"vjp(f, *primals): Expected f to be a function that has non-empty output and all "
                               f"outputs are Tensors, got {type(t)}")

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        flat_cot, cot_spec = pytree.tree_flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of "
                               f"outputs to the function. cotangents: {cot_spec}, primal output: {out_spec}")
        with torch.enable_grad():
            return _grads(flat_out, chosen, flat_cot, outer if create_graph is None else create_graph)

    output = result if outer else pytree.tree_map(lambda t: t.detach(), result)
    return (output, vjp_fn, aux) if has_aux else (output, vjp_fn)
