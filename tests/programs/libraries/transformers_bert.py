"""transformers bert (tiny config built in code): seeded AdamW steps then eval/greedy generate."""
import json

import torch
from transformers import BertConfig, BertForSequenceClassification

from hf_steps import adamw_steps

torch.manual_seed(0)
cfg = BertConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
                 hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, num_labels=3)
model = BertForSequenceClassification(cfg)
ids = torch.randint(1, 99, (4, 10))
mask = torch.ones_like(ids)
mask[1, 7:] = 0
labels = torch.tensor([0, 1, 2, 1])
losses, step_s = adamw_steps(model, input_ids=ids, attention_mask=mask, labels=labels)
model.eval()
with torch.no_grad():
    logits = model(input_ids=ids, attention_mask=mask).logits
print(json.dumps({"losses": losses, "logits_sum": logits.sum().item(), "step_s": step_s}))
