"""transformers llama (tiny config built in code): seeded AdamW steps then eval/greedy generate."""
import json

import torch
from transformers import LlamaConfig, LlamaForCausalLM

from hf_steps import adamw_steps

torch.manual_seed(0)
cfg = LlamaConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                  intermediate_size=37, max_position_embeddings=64)
model = LlamaForCausalLM(cfg)
ids = torch.randint(0, 99, (2, 12))
losses, step_s = adamw_steps(model, input_ids=ids, labels=ids)
model.eval()
gen = model.generate(ids[:, :4], max_new_tokens=6, do_sample=False, pad_token_id=0)
print(json.dumps({"losses": losses, "generated": gen.tolist(), "step_s": step_s}))
