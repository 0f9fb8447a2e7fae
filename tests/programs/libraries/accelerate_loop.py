"""accelerate: a single-process Accelerator prepares a tiny MLP, its optimizer and a DataLoader;
a few seeded steps with accelerator.backward. Prints losses and the final weights' sum."""
import json
import time

import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(64, 6)
y = (x.sum(dim=1, keepdim=True) > 0).float()
model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
accelerator = Accelerator(cpu=True)
model, opt, loader = accelerator.prepare(model, opt, loader)
losses, step_s = [], []
for _ in range(2):
    for xb, yb in loader:
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(xb), yb)
        accelerator.backward(loss)
        accelerator.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step_s.append(time.perf_counter() - t0)
        losses.append(loss.item())
unwrapped = accelerator.unwrap_model(model)
print(json.dumps({"losses": losses, "weight_sum": sum(p.sum().item() for p in unwrapped.parameters()),
                  "device": str(accelerator.device), "n_batches": len(loader),
                  "step_s": sorted(step_s)[len(step_s) // 2]}))
