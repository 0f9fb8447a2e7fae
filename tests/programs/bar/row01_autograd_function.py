"""Bar row 1: torch.autograd.Function with save_for_backward, saved_tensors, needs_input_grad, apply."""
import torch
from _util import emit


class ScaledExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale, k):
        y = torch.exp(x) * scale
        ctx.save_for_backward(y, scale)
        ctx.k = k
        return y * k

    @staticmethod
    def backward(ctx, g):
        y, scale = ctx.saved_tensors
        gx = g * y * ctx.k if ctx.needs_input_grad[0] else None
        gs = (g * y * ctx.k / scale).sum(0) if ctx.needs_input_grad[1] else None
        return gx, gs, None


torch.manual_seed(0)
x = torch.randn(3, 2, requires_grad=True)
s = torch.tensor([0.5, 2.0], requires_grad=True)
out = ScaledExp.apply(x, s, 3.0)
out.sum().backward()
x2 = torch.randn(3, 2, requires_grad=True)
seen = []


class Probe(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g):
        seen.append(list(ctx.needs_input_grad))
        return g, g


Probe.apply(x2, torch.ones(3, 2)).sum().backward()
emit({"out": out, "x_grad": x.grad, "s_grad": s.grad, "needs": seen, "grad_fn": type(out.grad_fn).__name__})
