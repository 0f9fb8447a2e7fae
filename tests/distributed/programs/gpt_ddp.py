"""A small GPT trained the way nanoGPT's train.py does it, data-parallel when launched by torchrun.

    python gpt_ddp.py --batch_size 8                         # one process, 8 sequences a step
    torchrun --standalone --nproc_per_node=2 gpt_ddp.py --batch_size 8    # 2 processes, 4 each

nanoGPT's idioms: DDP detected from RANK, `init_process_group`, `DDP(model, device_ids=...)` only
on GPU, `model.require_backward_grad_sync` toggled for gradient accumulation, AdamW with
weight-decay groups, cosine learning rate with warm-up, gradient clipping, the raw model saved
through `model.module`. Unlike nanoGPT, each step draws one global batch and every rank takes
its slice, so that the run on N processes sees the same data as one process with N times the
batch and the logged loss (averaged over ranks) must follow the same curve.
"""
import argparse
import math
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.distributed import destroy_process_group, init_process_group
from torch.nn import functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

p = argparse.ArgumentParser()
p.add_argument("--batch_size", type=int, default=8, help="sequences per optimizer step, over all processes")
p.add_argument("--max_iters", type=int, default=12)
p.add_argument("--grad_accum", type=int, default=2)
p.add_argument("--out", default="")
args = p.parse_args()

block_size, n_layer, n_head, n_embd, vocab_size = 32, 2, 2, 48, 64
learning_rate, min_lr, warmup_iters, weight_decay = 3e-3, 3e-4, 3, 0.1

ddp = int(os.environ.get("RANK", -1)) != -1
if ddp:
    init_process_group(backend="gloo")
    ddp_rank, ddp_world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    master_process = ddp_rank == 0
    seed_offset = ddp_rank
else:
    ddp_rank, ddp_world_size, master_process, seed_offset = 0, 1, True, 0
assert args.batch_size % (ddp_world_size * args.grad_accum) == 0
micro_batch = args.batch_size // (ddp_world_size * args.grad_accum)
torch.manual_seed(1337 + seed_offset)   # nanoGPT's per-rank seed: DDP's broadcast makes rank 0's weights everyone's

# A token stream with structure to learn: noisy repetitions of a few phrases.
rng = np.random.RandomState(0)
phrases = [rng.randint(0, vocab_size, size=rng.randint(5, 12)) for _ in range(8)]
data = np.concatenate([phrases[i] for i in rng.randint(0, len(phrases), size=3000)]).astype(np.int64)


def get_batch(it, micro_step):
    """This rank's share of micro-batch `micro_step` of step `it`'s global batch."""
    g = np.random.RandomState(1000 + it)
    starts = g.randint(len(data) - block_size - 1, size=args.batch_size)
    starts = starts.reshape(args.grad_accum, ddp_world_size, micro_batch)[micro_step, ddp_rank]
    x = torch.from_numpy(np.stack([data[i:i + block_size] for i in starts]))
    y = torch.from_numpy(np.stack([data[i + 1:i + 1 + block_size] for i in starts]))
    return x, y


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd), wpe=nn.Embedding(block_size, n_embd),
            h=nn.ModuleList([Block() for _ in range(n_layer)]), ln_f=nn.LayerNorm(n_embd)))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight   # weight tying
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            torch.nn.init.zeros_(module.bias)

    def forward(self, idx, targets):
        pos = torch.arange(0, idx.size(1), dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

    def configure_optimizers(self):
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=(0.9, 0.95))


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    ratio = (it - warmup_iters) / max(1, args.max_iters - warmup_iters)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)


model = GPT()
optimizer = model.configure_optimizers()
if ddp:
    model = DDP(model)
raw_model = model.module if ddp else model
losses = []
for it in range(args.max_iters):
    for group in optimizer.param_groups:
        group["lr"] = get_lr(it)
    step_loss = 0.0
    for micro_step in range(args.grad_accum):
        if ddp:
            # nanoGPT's way of skipping the all-reduce on all but the last micro-step
            model.require_backward_grad_sync = micro_step == args.grad_accum - 1
        x, y = get_batch(it, micro_step)
        _, loss = model(x, y)
        loss = loss / args.grad_accum
        step_loss += loss.item()
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    if ddp:
        t = torch.tensor([step_loss])
        dist.all_reduce(t)
        step_loss = t.item() / ddp_world_size
    losses.append(step_loss)
    if master_process:
        print(f"iter {it}: loss {step_loss:.6f}", flush=True)
if master_process and args.out:
    torch.save({"model": raw_model.state_dict(), "losses": losses}, args.out)
if ddp:
    destroy_process_group()
