"""torch.autograd.backward / grad on top of the engine."""
from dispatch.autograd.engine import run_backward
from dispatch.tensor import Tensor
from dispatch.opsns import T


def _as_list(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _make_grads(outputs, grads, is_grads_batched=False):
    out = []
    for k, o in enumerate(outputs):
        g = grads[k] if grads is not None and k < len(grads) else None
        if g is None:
            if not o._requires_grad:
                raise RuntimeError(f"element {k} of tensors does not require grad and does not have a grad_fn")
            if o.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not o._dtype.is_floating_point and not o._dtype.is_complex:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {o.dtype}")
            g = T.ones_like(o)
        elif not isinstance(g, Tensor):
            g = T.tensor(g, dtype=o.dtype)
        elif tuple(g.shape) != tuple(o.shape):
            raise RuntimeError(f"Mismatch in shape: grad_output[{k}] has a shape of {g.shape} and output[{k}] has a "
                               f"shape of {o.shape}.")
        out.append(g)
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    tensors = _as_list(tensors)
    grads = _make_grads(tensors, _as_list(grad_tensors if grad_tensors is not None else grad_variables))
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = _as_list(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True, allow_unused=True)
        return
    run_backward(tensors, grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    single = isinstance(inputs, Tensor)
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    grads = _make_grads(outputs, _as_list(grad_outputs))
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    res = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False,
                       allow_unused=allow_unused)
    if materialize_grads:
        res = [T.zeros_like(i) if r is None else r for r, i in zip(res, inputs)]
    return tuple(res)
