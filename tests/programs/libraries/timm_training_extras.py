"""The parts of timm's train.py around the model: stochastic depth (drop_path), Mixup/CutMix
with label smoothing (NumPy's random stream), SoftTargetCrossEntropy,
LabelSmoothingCrossEntropy, norm clipping through dispatch_clip_grad, ModelEmaV3,
create_scheduler_v2 and accuracy; prints the losses and the evaluations.  Run under
mstorch and under real torch."""
import json
import random

import numpy as np
import timm
import timm.data
import timm.loss
import timm.optim
import timm.scheduler
import timm.utils
import torch

torch.manual_seed(0)
np.random.seed(0)
random.seed(0)
model = timm.create_model("convnext_atto", pretrained=False, num_classes=10, drop_path_rate=0.1)
ema = timm.utils.ModelEmaV3(model, decay=0.9)  # its default path: torch._foreach_lerp_ / _foreach_copy_
opt = timm.optim.create_optimizer_v2(model, "adamw", lr=1e-3, weight_decay=0.05)
sched, n_epochs = timm.scheduler.create_scheduler_v2(opt, sched="cosine", num_epochs=4, warmup_epochs=1, warmup_lr=1e-4)
mixup = timm.data.Mixup(mixup_alpha=0.8, cutmix_alpha=1.0, label_smoothing=0.1, num_classes=10)
crit = timm.loss.SoftTargetCrossEntropy()
ls = timm.loss.LabelSmoothingCrossEntropy(0.1)
x = torch.randn(4, 3, 64, 64); y = torch.tensor([1, 3, 5, 7])
losses = []
for epoch in range(3):
    model.train()
    xm, ym = mixup(x, y)
    loss = crit(model(xm), ym)
    opt.zero_grad(); loss.backward()
    timm.utils.dispatch_clip_grad(model.parameters(), 1.0, mode="norm")
    opt.step(); ema.update(model, step=epoch)
    sched.step(epoch + 1)
    losses.append(loss.item())
model.eval()
with torch.no_grad():
    out = model(x); eout = ema.module(x)
    acc1, acc5 = timm.utils.accuracy(out, y, topk=(1, 5))
print(json.dumps({"losses": losses, "ls": ls(out, y).item(), "acc": [acc1.item(), acc5.item()], "ema": eout.sum().item(), "lr": opt.param_groups[0]["lr"], "n_epochs": n_epochs}))
