"""The benchmark models written directly in MindSpore PyNative (nn.Cell layers,
mindspore.value_and_grad, nn.SGD): the baseline mstorch's training step is held against."""
import numpy as np

from _models_torchlike import CLASSES, D_MODEL, FFN, HEADS, LAYERS, VOCAB, data


def build(name):
    from mindspore import nn, ops
    if name == "mlp":
        return nn.SequentialCell(nn.Dense(784, 256), nn.ReLU(), nn.Dense(256, 128), nn.ReLU(), nn.Dense(128, 10))
    if name == "cnn":
        # MindSpore's Conv2d pads 'same' by default; torch's default is no padding
        return nn.SequentialCell(
            nn.Conv2d(1, 6, 5, pad_mode="valid", has_bias=True), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5, pad_mode="valid", has_bias=True), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(),
            nn.Dense(256, 120), nn.ReLU(), nn.Dense(120, 84), nn.ReLU(), nn.Dense(84, 10))
    if name == "transformer":
        class Classifier(nn.Cell):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(VOCAB, D_MODEL)
                layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, FFN, dropout=0.0, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, LAYERS)
                self.head = nn.Dense(D_MODEL, CLASSES)

            def construct(self, tokens):
                return self.head(ops.mean(self.encoder(self.embed(tokens)), 1))
        return Classifier()
    raise ValueError(name)


def _torch_name(ms_name):
    """MindSpore parameter name -> the torch name of the same weight."""
    parts = ms_name.split(".")
    if parts[0] == "encoder":  # MindSpore's TransformerEncoder names linear1/2 dense1/2
        parts = [{"dense1": "linear1", "dense2": "linear2"}.get(p, p) for p in parts]
    if parts[-1] == "embedding_table":
        parts[-1] = "weight"
    if parts[-1] in ("gamma", "beta"):
        parts[-1] = {"gamma": "weight", "beta": "bias"}[parts[-1]]
    return ".".join(parts)


def train_step(name, weights, lr=0.01):
    import mindspore as ms
    from mindspore import nn
    model = build(name)
    for p in model.trainable_params():
        w = weights[_torch_name(p.name)]
        if tuple(p.shape) != w.shape:
            raise ValueError(f"{p.name}: {p.shape} vs torch {w.shape}")
        p.set_data(ms.Tensor(w.copy()))
    model.set_train(True)
    opt = nn.SGD(model.trainable_params(), learning_rate=lr)
    loss_fn = nn.CrossEntropyLoss()
    x_np, y_np = data(name)
    x = ms.Tensor(x_np.astype(np.int32) if name == "transformer" else x_np)
    y = ms.Tensor(y_np.astype(np.int32))

    def forward(x, y):
        return loss_fn(model(x), y)
    grad_fn = ms.value_and_grad(forward, None, opt.parameters)

    def step():
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss.asnumpy().item()
    return step
