"""Bar row 12 (and the custom-op item): torch.library.custom_op with register_autograd and
register_fake, and torch.library.Library define/impl for CPU, called directly and via torch.ops."""
import torch
from torch import Tensor
from _util import emit

inside = []


@torch.library.custom_op("barlib::scaled_sin", mutates_args=())
def scaled_sin(x: Tensor, k: float) -> Tensor:
    inside.append(torch.is_grad_enabled())
    return torch.sin(x) * k


@scaled_sin.register_fake
def _(x, k):
    return torch.empty_like(x)


def setup_context(ctx, inputs, output):
    x, k = inputs
    ctx.save_for_backward(x)
    ctx.k = k


def backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return grad * torch.cos(x) * ctx.k, None


scaled_sin.register_autograd(backward, setup_context=setup_context)


@torch.library.custom_op("barlib::no_grad_formula", mutates_args=())
def plain(x: Tensor) -> Tensor:
    return x * 2


@torch.library.custom_op("barlib::bump_", mutates_args={"x"})
def bump_(x: Tensor) -> None:
    x.add_(1)


lib = torch.library.Library("barlib2", "DEF")
lib.define("cube(Tensor x) -> Tensor")
lib.impl("cube", lambda x: x * x * x, "CPU")
x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = scaled_sin(x, 3.0)
y.sum().backward()
g1 = x.grad.clone()
x.grad = None
torch.ops.barlib.scaled_sin(x, 2.0).sum().backward()
z = plain(x)
try:
    z.sum().backward()
    err = None
except RuntimeError as e:
    err = str(e)
buf = torch.zeros(2)
ret = bump_(buf)
emit({"y": y, "g1": g1, "g2": x.grad, "inside_grad": inside, "err": err, "bump": [ret, buf],
      "cube": torch.ops.barlib2.cube(torch.tensor([2.0, -1.0])), "z_rg": z.requires_grad,
      "schema": str(torch.ops.barlib.scaled_sin.default._schema)})
