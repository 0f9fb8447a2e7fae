"""timm's resnet18 (built in code, no download) trained for a few seeded steps; prints
the losses and the eval-mode logits' sum.  Run under mstorch and under real torch."""
import json

import timm
import torch

torch.manual_seed(0)
model = timm.create_model("resnet18", pretrained=False, num_classes=10)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
x = torch.randn(4, 3, 32, 32)
y = torch.tensor([1, 3, 5, 7])
losses = []
for _ in range(3):
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
model.eval()
with torch.no_grad():
    logits = model(x)
print(json.dumps({"losses": losses, "eval_sum": logits.sum().item(), "eval_shape": list(logits.shape),
                  "n_params": sum(p.numel() for p in model.parameters())}))
