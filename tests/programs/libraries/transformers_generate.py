"""transformers generate() on a tiny GPT-2: top-k/top-p sampling (seeded), beam search, beam scores."""
import json
import torch
from transformers import GPT2Config, GPT2LMHeadModel

torch.manual_seed(0)
cfg = GPT2Config(vocab_size=99, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=37, bos_token_id=1,
                 eos_token_id=2, pad_token_id=0)
model = GPT2LMHeadModel(cfg).eval()
ids = torch.randint(3, 99, (2, 5))
out = {}
torch.manual_seed(1)
out["sample"] = model.generate(ids, max_new_tokens=6, do_sample=True, top_k=20, top_p=0.9, temperature=0.8).tolist()
out["beam"] = model.generate(ids, max_new_tokens=6, num_beams=3, do_sample=False).tolist()
res = model.generate(ids, max_new_tokens=4, num_beams=2, num_return_sequences=2, output_scores=True,
                     return_dict_in_generate=True)
out["beam_seq"] = res.sequences.tolist()
out["beam_scores"] = res.sequences_scores.tolist()
print(json.dumps(out))
