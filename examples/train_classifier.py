"""A small PyTorch training script, written for PyTorch and run unmodified:

    python examples/train_classifier.py               # real PyTorch
    python -m mstorch examples/train_classifier.py    # the same file on MindSpore

An MLP learns to tell three Gaussian clusters apart (synthetic data, no downloads).
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_data(n_per_class, generator):
    centers = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    xs, ys = [], []
    for label, c in enumerate(centers):
        xs.append(c + 0.6 * torch.randn(n_per_class, 2, generator=generator))
        ys.append(torch.full((n_per_class,), label, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


class Classifier(nn.Module):
    def __init__(self, hidden=32, classes=3):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.net(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    x, y = make_data(200, gen)
    model = Classifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x), generator=gen)
        total = 0.0
        for start in range(0, len(x), args.batch_size):
            idx = order[start:start + args.batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
            optimizer.step()
            total += loss.item() * len(idx)
        scheduler.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
        print(f"epoch {epoch + 1}: loss {total / len(x):.4f}  accuracy {accuracy:.3f}  lr {scheduler.get_last_lr()[0]:.3f}")


if __name__ == "__main__":
    main()
