"""transformers GPT-2 (tiny config built in code, no download): a few seeded AdamW steps, then
greedy generate(); prints losses, generated ids and the mean time of steps 2..4."""
import json

import torch
from transformers import GPT2Config, GPT2LMHeadModel

from hf_steps import adamw_steps

torch.manual_seed(0)
cfg = GPT2Config(vocab_size=99, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=37,
                 resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=1, eos_token_id=2)
model = GPT2LMHeadModel(cfg)
ids = torch.randint(0, 99, (2, 12))
losses, step_s = adamw_steps(model, input_ids=ids, labels=ids)
model.eval()
gen = model.generate(ids[:, :4], max_new_tokens=6, do_sample=False, pad_token_id=0)
print(json.dumps({"losses": losses, "generated": gen.tolist(), "step_s": step_s}))
