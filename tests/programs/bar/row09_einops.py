"""Bar row 9: a library written on torch (einops) through the import hook, layers included."""
import einops
import torch
from einops.layers.torch import Rearrange, Reduce
from _util import emit

torch.manual_seed(0)
x = torch.randn(2, 3, 4, 4)
net = torch.nn.Sequential(Rearrange("b c (h p) (w q) -> b (h w) (p q c)", p=2, q=2), torch.nn.Linear(12, 5),
                          Reduce("b n d -> b d", "mean"))
y = net(x)
y.sum().backward()
emit({"rearrange": einops.rearrange(x, "b c h w -> b (c h w)")[:, :5], "reduce": einops.reduce(x, "b c h w -> b c",
      "max"), "repeat": einops.repeat(torch.arange(3), "n -> n r", r=2), "net": y,
      "grad": net[1].weight.grad.sum().item(), "pack": [list(p) for p in einops.pack([x, x[:, :1]],
                                                                                            "b * h w")[1]]})
