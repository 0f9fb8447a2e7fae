"""transformers t5 (tiny config built in code): seeded AdamW steps then eval/greedy generate."""
import json

import torch
from transformers import T5Config, T5ForConditionalGeneration

from hf_steps import adamw_steps

torch.manual_seed(0)
cfg = T5Config(vocab_size=99, d_model=32, d_kv=8, d_ff=37, num_layers=2, num_heads=4, dropout_rate=0.0,
               decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
model = T5ForConditionalGeneration(cfg)
src = torch.randint(2, 99, (2, 9))
tgt = torch.randint(2, 99, (2, 7))
losses, step_s = adamw_steps(model, input_ids=src, labels=tgt)
model.eval()
gen = model.generate(src, max_new_tokens=6, do_sample=False)
print(json.dumps({"losses": losses, "generated": gen.tolist(), "step_s": step_s}))
