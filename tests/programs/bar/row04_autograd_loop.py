"""Bar row 4: backward/step/zero_grad, retain_graph, autograd.grad, create_graph (gradient
penalty), tensor and module hooks, no_grad / enable_grad / inference_mode."""
import torch
from _util import emit

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
hooked = []
net[0].weight.register_hook(lambda g: hooked.append(float(g.abs().sum())))
fwd = []
net[1].register_forward_hook(lambda mod, inp, out: fwd.append(list(out.shape)))
x = torch.randn(5, 4)
losses = []
for _ in range(3):
    opt.zero_grad()
    xi = x.clone().requires_grad_(True)
    out = net(xi)
    loss = out.pow(2).mean()
    (gx,) = torch.autograd.grad(out.sum(), xi, create_graph=True)
    penalty = (gx.norm(2, dim=1) - 1).pow(2).mean()
    (loss + penalty).backward(retain_graph=True)
    loss.backward()
    opt.step()
    losses.append(loss.item())
with torch.no_grad():
    a = net(x).requires_grad
    with torch.enable_grad():
        b = (x.requires_grad_(False) * torch.ones(1, requires_grad=True)).requires_grad
with torch.inference_mode():
    c = net(x)
emit({"losses": losses, "hooked": hooked, "fwd": fwd, "no_grad": a, "enable_grad": b,
      "inference": c.requires_grad, "w": net[2].weight})
