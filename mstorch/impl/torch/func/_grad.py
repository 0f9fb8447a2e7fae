"""torch.func.grad / grad_and_value / vjp on mstorch's tape autograd (levels: see _levels)."""
import functools

from mstorch.impl.torch.func import _levels
from mstorch.impl.torch.utils import _pytree as pytree


def grad_and_value(func, argnums=0, has_aux=False):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        torch = _levels.torch_ns()
        api = "grad_and_value(f)(*args)"
        nums = _levels.check_argnums(argnums, len(args))
        with torch.enable_grad():
            args, chosen, private, tracked = _levels.privatize(args, nums)
            result, aux = _levels.split_aux(func(*args, **kwargs), has_aux, api)
            if not isinstance(result, torch.Tensor):
                raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got {type(result)}")
            if result.dim() != 0:
                raise RuntimeError(f"{api}: Expected f(*args) to return a scalar Tensor, got tensor with "
                                   f"{result.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
            keep = _levels.keeps_graph([result], private, tracked)
            flat = _levels.grads_or_zeros([result], private, None, keep)
        grads = pytree.tree_unflatten(flat, pytree.tree_structure(chosen))
        if isinstance(nums, int):
            grads = grads[0]
        value = _levels.release(result, keep)
        return (grads, (value, _levels.release(aux, keep))) if has_aux else (grads, value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    inner = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grads, value = inner(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return wrapper


def trace_vjp(func, primals, argnums, has_aux, api="vjp(f, *primals)", floats_only=True):
    """Run func with private copies of primals[argnums]; returns what vjp, jacrev and jacfwd need."""
    torch = _levels.torch_ns()
    with torch.enable_grad():
        args, chosen, private, tracked = _levels.privatize(primals, argnums)
        result, aux = _levels.split_aux(func(*args), has_aux, api)
    flat_out, out_spec = pytree.tree_flatten(result)
    if not flat_out or (len(flat_out) == 1 and flat_out[0] is None):
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = {result})")
    for t in flat_out:
        if not isinstance(t, torch.Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(t)}")
        if floats_only and not (t.is_floating_point() or t.is_complex()):
            raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                               f"Tensor with dtype {t.dtype}")
    keep = _levels.keeps_graph(flat_out, private, tracked)
    return result, flat_out, out_spec, aux, chosen, private, keep


def vjp(func, *primals, has_aux=False):
    result, flat_out, out_spec, aux, chosen, private, keep = trace_vjp(
        func, primals, tuple(range(len(primals))), has_aux)

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        torch = _levels.torch_ns()
        flat_cot, cot_spec = pytree.tree_flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of "
                               f"outputs to the function. cotangents: {cot_spec}, primal output: {out_spec}")
        for c, o in zip(flat_cot, flat_out):
            if tuple(c.shape) != tuple(o.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {c.shape} and output[0] has "
                                   f"a shape of {o.shape}.")
        graph = (keep or any(c.requires_grad for c in flat_cot)) if create_graph is None else create_graph
        with torch.enable_grad():
            flat = _levels.grads_or_zeros(flat_out, private, flat_cot, graph)
        return pytree.tree_unflatten(flat, pytree.tree_structure(chosen))

    output = _levels.release(result, keep)
    return (output, vjp_fn, _levels.release(aux, keep)) if has_aux else (output, vjp_fn)
