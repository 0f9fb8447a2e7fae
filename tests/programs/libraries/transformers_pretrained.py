"""save_pretrained / from_pretrained of tiny models built in code (no download); prints JSON.

argv:
  roundtrip gpt2|llama       save then reload in this process: {"saved": logits, "reloaded": logits}
  save DIR                   save BERT, GPT-2, Llama and T5 under DIR as safetensors and as .bin:
                             {"<model>-<format>": logits of the saved model}
  load DIR                   reload what `save` wrote (run under the other torch): the same keys,
                             plus "<model>-safetensors-low_cpu_mem_usage" and, for each model,
                             "<model>-init_empty_weights" (built under accelerate's init_empty_weights,
                             then load_state_dict(..., assign=True) of the .bin checkpoint)
"""
import json
import os
import sys
import tempfile

import torch
from transformers import (BertConfig, BertForMaskedLM, GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM,
                          T5Config, T5ForConditionalGeneration)

MODELS = {
    "bert": (BertForMaskedLM, lambda: BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2,
                                                  num_attention_heads=4, intermediate_size=37,
                                                  max_position_embeddings=32)),
    "gpt2": (GPT2LMHeadModel, lambda: GPT2Config(vocab_size=64, n_positions=32, n_embd=32, n_layer=2, n_head=4)),
    "llama": (LlamaForCausalLM, lambda: LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64,
                                                     num_hidden_layers=2, num_attention_heads=4,
                                                     num_key_value_heads=2, max_position_embeddings=64)),
    "t5": (T5ForConditionalGeneration, lambda: T5Config(vocab_size=64, d_model=32, d_kv=8, d_ff=37, num_layers=2,
                                                         num_heads=4, decoder_start_token_id=0, pad_token_id=0,
                                                         eos_token_id=1)),
}
IDS = [[1, 5, 9, 3, 7, 2, 11, 4]]


def logits(name, model):
    ids = torch.tensor(IDS)
    with torch.no_grad():
        if name == "t5":
            out = model(input_ids=ids, decoder_input_ids=torch.tensor([[0, 6, 2, 9]]))
        else:
            out = model(ids)
    return out.logits.flatten().tolist()


def build(name):
    torch.manual_seed(0)
    cls, config = MODELS[name]
    return cls(config()).eval()


def roundtrip(name):
    model = build(name)
    saved = logits(name, model)
    with tempfile.TemporaryDirectory() as d:
        model.save_pretrained(d)
        reloaded = MODELS[name][0].from_pretrained(d).eval()
    return {"saved": saved, "reloaded": logits(name, reloaded)}


def save(root):
    out = {}
    for name in MODELS:
        model = build(name)
        out[f"{name}-safetensors"] = out[f"{name}-bin"] = logits(name, model)
        model.save_pretrained(os.path.join(root, f"{name}-safetensors"))
        # transformers 5 writes only safetensors: the .bin checkpoint is torch.save's, as older versions wrote it.
        binary = os.path.join(root, f"{name}-bin")
        model.config.save_pretrained(binary)
        torch.save(model.state_dict(), os.path.join(binary, "pytorch_model.bin"))
    return out


def load(root):
    from accelerate import init_empty_weights
    out = {}
    for name, (cls, config) in MODELS.items():
        for fmt in ("safetensors", "bin"):
            out[f"{name}-{fmt}"] = logits(name, cls.from_pretrained(os.path.join(root, f"{name}-{fmt}")).eval())
        low = cls.from_pretrained(os.path.join(root, f"{name}-safetensors"), low_cpu_mem_usage=True).eval()
        out[f"{name}-safetensors-low_cpu_mem_usage"] = logits(name, low)
        with init_empty_weights():
            empty = cls(config())
        assert all(p.device.type == "meta" for p in empty.parameters()), name
        state = torch.load(os.path.join(root, f"{name}-bin", "pytorch_model.bin"), weights_only=True)
        empty.load_state_dict(state, strict=False, assign=True)
        empty.tie_weights()
        assert not any(p.device.type == "meta" for p in empty.parameters()), name
        out[f"{name}-init_empty_weights"] = logits(name, empty.eval())
    return out


mode = sys.argv[1]
if mode == "roundtrip":
    result = roundtrip(sys.argv[2])
elif mode == "save":
    result = save(sys.argv[2])
else:
    result = load(sys.argv[2])
print(json.dumps(result))
