"""torch.autograd."""
from dispatch.autograd.api import backward, grad
from mstorch.impl.torch.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
