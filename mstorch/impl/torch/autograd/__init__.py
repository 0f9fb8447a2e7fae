"""torch.autograd."""
from dispatch.autograd.api import backward, grad
from dispatch.autograd.function import Function, FunctionCtx, once_differentiable
from mstorch.impl.torch.autograd import functional
from mstorch.impl.torch.autograd.anomaly_mode import detect_anomaly, set_detect_anomaly
from mstorch.impl.torch.autograd.gradcheck import gradcheck, gradgradcheck
from mstorch.impl.torch.autograd.variable import Variable
from mstorch.impl.torch.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled

__all__ = ["Function", "FunctionCtx", "Variable", "backward", "detect_anomaly", "functional", "grad", "gradcheck",
           "gradgradcheck", "set_detect_anomaly", "enable_grad", "inference_mode", "no_grad",
           "once_differentiable", "set_grad_enabled"]
