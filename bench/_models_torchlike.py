"""The three benchmark models written once against the torch API, so the same source runs
on mstorch's namespace and on real torch (the `torch` argument picks which)."""
import numpy as np

BATCH = {"mlp": 64, "cnn": 64, "transformer": 16}
SEQ, VOCAB, D_MODEL, HEADS, LAYERS, FFN, CLASSES = 32, 1000, 64, 4, 2, 256, 10


def build(torch, name):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if name == "transformer":
        return _transformer(torch)
    raise ValueError(name)


def _transformer(torch):
    nn = torch.nn

    class Classifier(nn.Module):
        # dropout 0 so that all three implementations compute the same function
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, D_MODEL)
            layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, FFN, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
            self.head = nn.Linear(D_MODEL, CLASSES)

        def forward(self, tokens):
            return self.head(self.encoder(self.embed(tokens)).mean(1))

    return Classifier()


def data(name, seed=0):
    """(inputs, labels) as NumPy arrays, the same for every implementation."""
    rng = np.random.default_rng(seed)
    b = BATCH[name]
    if name == "mlp":
        x = rng.standard_normal((b, 784)).astype(np.float32)
    elif name == "cnn":
        x = rng.standard_normal((b, 1, 28, 28)).astype(np.float32)
    else:
        x = rng.integers(0, VOCAB, (b, SEQ)).astype(np.int64)
    return x, rng.integers(0, CLASSES, (b,)).astype(np.int64)


def state_numpy(model):
    """The model's parameters as {torch name: float32 array}, to load into the other implementations."""
    return {k: np.array(v.detach().numpy(), copy=True) for k, v in model.named_parameters()}


def train_step(torch, name, weights, lr=0.01):
    """A fresh model holding `weights`, and a closure doing one forward+backward+SGD step
    that returns the loss as a Python float (the read a training loop's logging does)."""
    model = build(torch, name)
    with torch.no_grad():
        for k, p in model.named_parameters():
            p.copy_(torch.from_numpy(weights[k].copy()))
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    x_np, y_np = data(name)
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step
