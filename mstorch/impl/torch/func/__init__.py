"""torch.func on mstorch's tape autograd: functional_call, grad, grad_and_value, vjp, vmap (a
per-sample loop), jacrev, jacfwd, hessian, jvp and linearize (forward products by double vjp).
functionalize raises naming itself."""
from mstorch.impl.torch.func._functional_call import functional_call  # noqa: F401
from mstorch.impl.torch.func._grad import grad, grad_and_value, vjp  # noqa: F401
from mstorch.impl.torch.func._jacobian import hessian, jacfwd, jacrev  # noqa: F401
from mstorch.impl.torch.func._jvp import jvp, linearize  # noqa: F401
from mstorch.impl.torch.func._vmap import vmap  # noqa: F401


def functionalize(func, *, remove="mutations"):
    raise NotImplementedError("mstorch: torch.func.functionalize is not supported (it needs a functional "
                              "tensor layer in the dispatcher)")
