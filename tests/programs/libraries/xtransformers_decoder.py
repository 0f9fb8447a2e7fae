"""x-transformers: a tiny TransformerWrapper(Decoder) in an AutoregressiveWrapper, trained for a
few seeded steps, then greedy generation. Prints losses and tokens as JSON."""
import json
import time

import torch
from x_transformers import AutoregressiveWrapper, Decoder, TransformerWrapper

torch.manual_seed(0)
model = AutoregressiveWrapper(TransformerWrapper(num_tokens=32, max_seq_len=16,
                                                 attn_layers=Decoder(dim=32, depth=2, heads=4)))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
seq = torch.randint(0, 32, (4, 16))
losses, step_s = [], []
for _ in range(4):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = model(seq)
    loss.backward()
    opt.step()
    step_s.append(time.perf_counter() - t0)
    losses.append(loss.item())
model.eval()
with torch.no_grad():
    out = model.generate(seq[:1, :4], 6, temperature=0.0)
print(json.dumps({"losses": losses, "generated": out.tolist(), "step_s": sorted(step_s)[len(step_s) // 2]}))
