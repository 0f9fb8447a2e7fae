"""save_pretrained then from_pretrained of a tiny model built in code (no download):
prints the saved and reloaded logits as JSON.  argv: gpt2|llama."""
import json
import sys
import tempfile

import torch
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

name = sys.argv[1]
torch.manual_seed(0)
if name == "gpt2":
    model = GPT2LMHeadModel(GPT2Config(vocab_size=64, n_positions=32, n_embd=32, n_layer=2, n_head=4))
    cls = GPT2LMHeadModel
else:
    model = LlamaForCausalLM(LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64))
    cls = LlamaForCausalLM
model.eval()
ids = torch.tensor([[1, 5, 9, 3, 7, 2, 11, 4]])
with torch.no_grad():
    saved = model(ids).logits
with tempfile.TemporaryDirectory() as d:
    model.save_pretrained(d)
    reloaded = cls.from_pretrained(d).eval()
with torch.no_grad():
    again = reloaded(ids).logits
print(json.dumps({"saved": saved.flatten().tolist(), "reloaded": again.flatten().tolist()}))
