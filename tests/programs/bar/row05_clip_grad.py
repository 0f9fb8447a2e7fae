"""Bar row 5 (and the clip_grad_norm_ item): clip_grad_norm_ returns the total norm tensor; clip_grad_value_."""
import torch
from _util import emit

torch.manual_seed(1)
m = torch.nn.Linear(6, 3)
opt = torch.optim.Adam(m.parameters(), lr=0.01)
norms = []
for step in range(3):
    opt.zero_grad()
    loss = (m(torch.randn(4, 6)) * 50).pow(2).sum()
    loss.backward()
    total = torch.nn.utils.clip_grad_norm_(m.parameters(), max_norm=1.0)
    norms.append([total.item(), str(total.dtype), total.dim()])
    opt.step()
m.zero_grad()
(m(torch.ones(2, 6)) * 9).sum().backward()
torch.nn.utils.clip_grad_value_(m.parameters(), clip_value=0.5)
inf_norm = torch.nn.utils.clip_grad_norm_(m.parameters(), 0.1, norm_type=float("inf"))
emit({"norms": norms, "w_grad": m.weight.grad, "inf": inf_norm, "weight": m.weight})
