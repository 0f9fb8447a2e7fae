"""transformers Trainer, unmodified: a tiny GPT-2 built in code trains for 3 steps with
Trainer(...).train() and its default callbacks (logging every step, a checkpoint at step 3),
then a second Trainer resumes from that checkpoint (model, optimizer, scheduler and RNG state)
and runs 2 more steps. Prints the logged losses, learning rates and grad norms as JSON."""
import json
import os
import sys
import tempfile
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments


class Tokens(torch.utils.data.Dataset):
    def __init__(self, n=10, length=12):
        g = torch.Generator().manual_seed(3)
        self.ids = torch.randint(0, 99, (n, length), generator=g)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def make_model():
    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=99, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=37, bos_token_id=1, eos_token_id=2)
    return GPT2LMHeadModel(cfg)  # dropout stays on: Trainer seeds it and the resume restores its stream


def arguments(out, max_steps):
    return TrainingArguments(output_dir=out, max_steps=max_steps, per_device_train_batch_size=2, logging_steps=1,
                             save_steps=3, report_to=[], use_cpu=True, learning_rate=1e-3, warmup_steps=1,
                             seed=42, disable_tqdm=True)


def logged(trainer):
    rows = [r for r in trainer.state.log_history if "loss" in r]
    return {"loss": [r["loss"] for r in rows], "lr": [r["learning_rate"] for r in rows],
            "grad_norm": [float(r["grad_norm"]) for r in rows], "step": [r["step"] for r in rows]}


with tempfile.TemporaryDirectory() as out:
    trainer = Trainer(model=make_model(), args=arguments(out, 3), train_dataset=Tokens())
    t0 = time.perf_counter()
    result = trainer.train()
    step_s = (time.perf_counter() - t0) / 3
    first = logged(trainer)
    checkpoint = os.path.join(out, "checkpoint-3")
    saved = sorted(os.listdir(checkpoint))
    resumed = Trainer(model=make_model(), args=arguments(out, 5), train_dataset=Tokens())
    resumed.train(resume_from_checkpoint=checkpoint)
    second = logged(resumed)
print(json.dumps({"first": first, "second": second, "train_loss": result.training_loss,
                  "global_step": result.global_step, "saved": saved, "step_s": step_s}))
sys.stdout.flush()
