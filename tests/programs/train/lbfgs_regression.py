"""Polynomial-feature regression fitted with LBFGS (closure, strong Wolfe line search)."""
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.linspace(-2, 2, 200).unsqueeze(1)
y = torch.sin(2 * x) + 0.1 * torch.randn(200, 1)
model = nn.Sequential(nn.Linear(1, 100), nn.Tanh(), nn.Linear(100, 100), nn.Tanh(), nn.Linear(100, 1))
opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=3, history_size=10, line_search_fn="strong_wolfe")
print(f"params {sum(p.numel() for p in model.parameters())}")


def closure():
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


for step in range(1, 21):
    loss = opt.step(closure)
    print(f"step {step} loss {loss.item():.6f}")
