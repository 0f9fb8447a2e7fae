"""peft: LoRA adapters (get_peft_model with LoraConfig(target_modules=[...])) on a tiny MLP built
in code; a few seeded steps train only the adapters; merge_and_unload folds them back.
Prints losses, trainable counts and outputs as JSON."""
import json
import time

import torch
from peft import LoraConfig, get_peft_model


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(8, 16)
        self.fc2 = torch.nn.Linear(16, 16)
        self.head = torch.nn.Linear(16, 2)

    def forward(self, x):
        return self.head(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


torch.manual_seed(0)
model = get_peft_model(MLP(), LoraConfig(r=4, lora_alpha=8, target_modules=["fc1", "fc2"], lora_dropout=0.0))
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
total = sum(p.numel() for p in model.parameters())
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2)
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))
losses, step_s = [], []
for _ in range(5):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    step_s.append(time.perf_counter() - t0)
    losses.append(loss.item())
with torch.no_grad():
    adapted = model(x[:4])
    merged = model.merge_and_unload()
    after = merged(x[:4])
print(json.dumps({"losses": losses, "trainable": trainable, "total": total,
                  "adapted": adapted.flatten().tolist(), "merged": after.flatten().tolist(),
                  "merged_type": type(merged.fc1).__name__, "step_s": sorted(step_s)[len(step_s) // 2]}))
