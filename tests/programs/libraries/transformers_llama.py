"""transformers llama (tiny config built in code): seeded AdamW steps then eval/greedy generate."""
import json
import time
import torch
from transformers import LlamaConfig, LlamaForCausalLM

torch.manual_seed(0)
cfg = LlamaConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  intermediate_size=37, max_position_embeddings=64)
model = LlamaForCausalLM(cfg)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
ids = torch.randint(0, 99, (2, 12))
losses, times = [], []
for _ in range(4):
    t0 = time.perf_counter()
    opt.zero_grad()
    out = model(input_ids=ids, labels=ids)
    out.loss.backward()
    opt.step()
    losses.append(out.loss.item())
    times.append(time.perf_counter() - t0)
model.eval()
gen = model.generate(ids[:, :4], max_new_tokens=6, do_sample=False, pad_token_id=0)
print(json.dumps({"losses": losses, "generated": gen.tolist(), "step_s": sum(times[1:]) / 3}))
