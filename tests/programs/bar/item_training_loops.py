"""Deliver item: training loops as PyTorch users write them — dict and nested-tuple outputs,
loss from a non-first output, two losses with one backward, two backward calls with
retain_graph, gradient accumulation over micro-batches, auxiliary-output gradients."""
import torch
import torch.nn as nn
from _util import emit


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 6)
        self.head = nn.Linear(6, 2)
        self.aux = nn.Linear(6, 1)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return {"logits": self.head(h), "extra": (h.mean(), (self.aux(h), h.std()))}


torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.05)
x, target = torch.randn(8, 4), torch.randint(0, 2, (8,))
trace = []
for step in range(3):
    opt.zero_grad()
    out = net(x)
    ce = nn.functional.cross_entropy(out["logits"], target)
    aux = out["extra"][1][0].pow(2).mean()
    (ce + 0.1 * aux).backward()
    opt.step()
    trace.append([ce.item(), aux.item()])
opt.zero_grad()
out = net(x)
l1 = out["logits"].sum()
l2 = out["extra"][0] * 2
l1.backward(retain_graph=True)
l2.backward()
two_bw = net.body.weight.grad.clone()
opt.zero_grad()
for chunk_x, chunk_t in zip(x.chunk(4), target.chunk(4)):
    loss = nn.functional.cross_entropy(net(chunk_x)["logits"], chunk_t) / 4
    loss.backward()
accum = net.head.weight.grad.clone()
opt.zero_grad()
net(x)["extra"][1][1].backward()
emit({"trace": trace, "two_bw": two_bw, "accum": accum, "aux_grad": net.body.bias.grad,
      "head_untouched": net.head.weight.grad is None})
