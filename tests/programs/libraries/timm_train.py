"""A timm model built in code (no download) trained for a few seeded steps with timm's
optimizer factory and cosine schedule with warmup, as timm's train.py does; prints the
initial parameters' checksums, the losses, the schedule's last learning rate, the eval-mode
logits' sum and the seconds per step.  Run under mstorch and under real torch.

usage: timm_train.py MODEL IMAGE_SIZE OPTIMIZER LR [CLIP] [MODEL_KWARGS_JSON]"""
import json
import sys
import time

import timm
import timm.optim
import timm.scheduler
import torch

name, size, opt_name, lr = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
clip = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] != "none" else None
kwargs = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}

torch.manual_seed(0)
model = timm.create_model(name, pretrained=False, num_classes=10, **kwargs)
init = [[v.double().sum().item(), v.double().square().sum().item()] for v in model.state_dict().values()]
opt = timm.optim.create_optimizer_v2(model, opt_name, lr=lr, weight_decay=0.05)
sched = timm.scheduler.CosineLRScheduler(opt, t_initial=8, warmup_t=1, warmup_lr_init=lr / 10)
x = torch.randn(2, 3, size, size)
y = torch.tensor([1, 3])
losses, step_s = [], []
for step in range(4):
    start = time.perf_counter()
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    if clip is not None:
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
    sched.step(step + 1)
    losses.append(loss.item())
    step_s.append(time.perf_counter() - start)
model.eval()
with torch.no_grad():
    logits = model(x)
print(json.dumps({"init": init, "losses": losses, "lr": opt.param_groups[0]["lr"], "eval_sum": logits.sum().item(),
                  "eval_shape": list(logits.shape), "step_s": step_s}))
