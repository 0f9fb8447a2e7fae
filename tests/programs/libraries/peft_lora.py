"""peft LoRA, unmodified: get_peft_model(model, LoraConfig(...)) on a tiny model built in code
(`mlp`: a plain nn.Module; `gpt2` / `llama`: transformers models from a config), then
print_trainable_parameters(), seeded AdamW steps that train only the adapters,
save_pretrained / PeftModel.from_pretrained from a local directory, and merge_and_unload().
Prints losses, counts and outputs as JSON (print_trainable_parameters' line first)."""
import contextlib
import io
import json
import sys
import tempfile
import time

import torch
from peft import LoraConfig, PeftModel, get_peft_model

# "mlp", "gpt2", "llama"; "mlp:pissa" / "mlp:olora" initialise the adapters from an SVD / a QR of
# the base weights (factors whose signs LAPACK builds choose differently: the training does not see them)
case, _, init = (sys.argv[1] if len(sys.argv) > 1 else "mlp").partition(":")


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(8, 16)
        self.fc2 = torch.nn.Linear(16, 16)
        self.head = torch.nn.Linear(16, 2)

    def forward(self, x):
        return self.head(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def build():
    """(base model factory, LoraConfig, batch, loss of a forward pass)"""
    if case == "mlp":
        x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))
        cfg = LoraConfig(r=4, lora_alpha=8, target_modules=["fc1", "fc2"], lora_dropout=0.0,
                         modules_to_save=["head"], init_lora_weights=init or True)
        return MLP, cfg, (x,), lambda out: torch.nn.functional.cross_entropy(out, y)
    from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM
    ids = torch.randint(0, 99, (2, 12))
    if case == "gpt2":
        mcfg = GPT2Config(vocab_size=99, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=37,
                          resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
        factory, targets = (lambda: GPT2LMHeadModel(mcfg)), ["c_attn", "c_proj"]
    else:
        mcfg = LlamaConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           num_key_value_heads=2, intermediate_size=37, max_position_embeddings=64)
        factory, targets = (lambda: LlamaForCausalLM(mcfg)), ["q_proj", "v_proj", "gate_proj"]
    # lora_dropout > 0: the adapters' dropout draws from torch's generator stream too
    cfg = LoraConfig(r=4, lora_alpha=16, target_modules=targets, lora_dropout=0.1, task_type="CAUSAL_LM")
    return factory, cfg, {"input_ids": ids, "labels": ids}, lambda out: out.loss


def forward(model, batch):
    return model(*batch) if isinstance(batch, tuple) else model(**batch)


def flat(out):
    return (out if isinstance(out, torch.Tensor) else out.logits).flatten()[:24].tolist()


torch.manual_seed(0)
factory, lora_cfg, batch, loss_of = build()
base_state = {k: v.clone() for k, v in factory().state_dict().items()}
torch.manual_seed(1)
base = factory()
base.load_state_dict(base_state)
model = get_peft_model(base, lora_cfg)
report = io.StringIO()
with contextlib.redirect_stdout(report):
    model.print_trainable_parameters()
trainable, total = model.get_nb_trainable_parameters()
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
losses, step_s = [], []
model.train()
for _ in range(4):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = loss_of(forward(model, batch))
    loss.backward()
    opt.step()
    step_s.append(time.perf_counter() - t0)
    losses.append(loss.item())
model.eval()
with torch.no_grad():
    adapted = flat(forward(model, batch))
with tempfile.TemporaryDirectory() as tmp:
    model.save_pretrained(tmp)
    fresh = factory()
    fresh.load_state_dict(base_state)
    reloaded = PeftModel.from_pretrained(fresh, tmp)
    reloaded.eval()
    with torch.no_grad():
        reloaded_out = flat(forward(reloaded, batch))
with torch.no_grad():
    merged = model.merge_and_unload()
    merged_out = flat(forward(merged, batch))
lora_names = sorted(k for k in model.state_dict() if "lora_" in k)
print(json.dumps({"init": init, "report": report.getvalue().strip(), "trainable": trainable, "total": total, "losses": losses,
                  "adapted": adapted, "reloaded": reloaded_out, "merged": merged_out,
                  "merged_types": sorted({type(m).__name__ for m in merged.modules()}),
                  "step_s": sorted(step_s[1:])[len(step_s[1:]) // 2]}))
