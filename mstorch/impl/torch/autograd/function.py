"""torch.autograd.function (module path some code imports from)."""
from dispatch.autograd.function import Function, FunctionCtx, once_differentiable

__all__ = ["Function", "FunctionCtx", "once_differentiable"]
