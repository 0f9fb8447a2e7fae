"""The training loop the transformers programs share (imported from the script's folder)."""
import time

import torch


def adamw_steps(model, steps=4, **batch):
    """`steps` AdamW steps of `model(**batch).loss`: the losses and the mean time of steps 2.."""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    losses, times = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        out = model(**batch)
        out.loss.backward()
        opt.step()
        losses.append(out.loss.item())
        times.append(time.perf_counter() - t0)
    return losses, sum(times[1:]) / (steps - 1)
