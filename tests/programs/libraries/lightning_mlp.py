"""A tiny LightningModule (MLP on a seeded synthetic dataset) fitted, validated and tested
by lightning's Trainer with torchmetrics metrics logged, a checkpoint written by
ModelCheckpoint and reloaded with load_from_checkpoint.  Prints the numbers as JSON."""
import json
import os
import tempfile
import time

import lightning as L
import torch
import torchmetrics
from lightning.pytorch.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, TensorDataset


class MLP(L.LightningModule):
    def __init__(self, hidden=16, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(torch.nn.Linear(8, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 3))
        self.train_acc = torchmetrics.Accuracy(task="multiclass", num_classes=3)
        self.val_acc = torchmetrics.Accuracy(task="multiclass", num_classes=3)
        self.val_mse = torchmetrics.MeanSquaredError()
        self.losses, self.step_s = [], []

    def forward(self, x):
        return self.net(x)

    def on_train_batch_start(self, batch, batch_idx):
        self.t0 = time.perf_counter()

    def on_train_batch_end(self, outputs, batch, batch_idx):
        self.step_s.append(time.perf_counter() - self.t0)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = torch.nn.functional.cross_entropy(logits, y)
        self.train_acc(logits, y)
        self.log("train_loss", loss, prog_bar=True)
        self.log("train_acc", self.train_acc, on_step=False, on_epoch=True)
        self.losses.append(loss.item())
        return loss

    def _eval_step(self, batch, prefix):
        x, y = batch
        logits = self(x)
        self.val_acc(logits, y)
        self.val_mse(logits.softmax(-1)[:, 1], (y == 1).float())
        self.log(f"{prefix}_loss", torch.nn.functional.cross_entropy(logits, y), prog_bar=True)
        self.log(f"{prefix}_acc", self.val_acc)
        self.log(f"{prefix}_mse", self.val_mse)

    def validation_step(self, batch, batch_idx):
        self._eval_step(batch, "val")

    def test_step(self, batch, batch_idx):
        self._eval_step(batch, "test")

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=g)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    return DataLoader(TensorDataset(x, y), batch_size=16)


L.seed_everything(0, verbose=False)
root = tempfile.mkdtemp()
model = MLP()
ckpt = ModelCheckpoint(dirpath=root, filename="mlp", monitor="val_loss")
trainer = L.Trainer(max_epochs=1, accelerator="cpu", devices=1, logger=False, callbacks=[ckpt],
                    enable_progress_bar=True, enable_model_summary=True, default_root_dir=root)
trainer.fit(model, data(128, 1), data(48, 2))
val = trainer.validate(model, data(48, 2), verbose=False)[0]
test = trainer.test(model, data(48, 3), verbose=False)[0]
reloaded = MLP.load_from_checkpoint(ckpt.best_model_path)
x = torch.randn(5, 8, generator=torch.Generator().manual_seed(4))
same = torch.equal(reloaded(x), model(x))
print(json.dumps({"losses": model.losses, "val": {k: float(v) for k, v in val.items()},
                  "test": {k: float(v) for k, v in test.items()},
                  "ckpt": os.path.basename(ckpt.best_model_path), "reloaded_equal": same,
                  "hparams": dict(reloaded.hparams), "callback_metrics": sorted(trainer.callback_metrics),
                  "step_s": sorted(model.step_s)[len(model.step_s) // 2]}))
