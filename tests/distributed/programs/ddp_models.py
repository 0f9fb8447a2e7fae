"""Models and data shared by the DDP child program (run under mstorch) and the test (which runs
the single-process reference under real torch): `import torch` is whichever runtime imports it."""
import numpy as np
import torch
import torch.nn as nn

WORLD = 2
STEPS = 4


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 32)
        self.fc2 = nn.Linear(32, 32)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(torch.tanh(self.fc2(torch.relu(self.fc1(x)))))


class TwoHeads(nn.Module):
    """`which` picks the head: the other head's parameters are unused in that forward."""

    def __init__(self):
        super().__init__()
        self.body = nn.Linear(6, 8)
        self.a = nn.Linear(8, 3)
        self.b = nn.Linear(8, 3)
        self.never = nn.Linear(8, 3)

    def forward(self, x, which):
        h = torch.relu(self.body(x))
        return self.a(h) if which == "a" else self.b(h)


class ConvBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 2)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).flatten(1))


def batch(seed, *shape):
    return np.random.RandomState(seed).randn(*shape).astype("float32")


def shard(array, rank, world=WORLD):
    per = len(array) // world
    return array[rank * per:(rank + 1) * per]


def sgd(params):
    return torch.optim.SGD(params, lr=0.1, momentum=0.9)


def train_steps(model, optimizer, xs, ys):
    """STEPS steps of MSE; xs[k], ys[k] are the k-th step's (local) batch."""
    losses = []
    for x, y in zip(xs, ys):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def load_state(model, arrays):
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in arrays.items()})
