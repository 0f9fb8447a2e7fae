"""MLP with dropout, 50 SGD steps on shuffled mini-batches: the loss curve must be
PyTorch's (same seed -> same init, same shuffles, same dropout masks)."""
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(256, 20)
w_true = torch.randn(20, 3)
y = (x @ w_true).argmax(dim=1)
model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 64), nn.Tanh(),
                      nn.Dropout(0.2), nn.Linear(64, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
step = 0
while step < 50:
    perm = torch.randperm(256)
    for i in range(0, 256, 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        step += 1
        print(f"step {step} loss {loss.item():.6f}")
        if step == 50:
            break
