"""torch.func: functional_call, grad, grad_and_value and vjp are served; the transforms that
need batching levels (vmap, jacrev, jacfwd, hessian, jvp, ...) raise naming themselves."""
from mstorch.impl.torch.func._functional_call import functional_call  # noqa: F401
from mstorch.impl.torch.func._grad import grad, grad_and_value, vjp  # noqa: F401


def _needs_levels(name):
    def transform(*args, **kwargs):
        raise NotImplementedError(f"mstorch: torch.func.{name} is not supported (no functorch batching or "
                                  "forward-mode levels); loop over the batch, or use torch.autograd.functional")
    transform.__name__ = transform.__qualname__ = name
    return transform


vmap = _needs_levels("vmap")
jacrev = _needs_levels("jacrev")
jacfwd = _needs_levels("jacfwd")
hessian = _needs_levels("hessian")
jvp = _needs_levels("jvp")
linearize = _needs_levels("linearize")
functionalize = _needs_levels("functionalize")
