"""MNIST-style CNN with BatchNorm and Dropout on synthetic 28x28 digits: train, then eval;
prints the total gradient norm clip_grad_norm_ returns."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)  # a bias before BatchNorm only adds noise
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.drop = nn.Dropout(0.25)
        self.fc1 = nn.Linear(16 * 6 * 6, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = self.drop(torch.flatten(x, 1))
        return self.fc2(F.relu(self.fc1(x)))


x = torch.rand(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(1, 21):
    idx = torch.randperm(64)[:16]
    opt.zero_grad()
    loss = F.cross_entropy(model(x[idx]), y[idx])
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    print(f"step {step} loss {loss.item():.6f} gradnorm {norm.item():.6f}")
model.eval()
with torch.no_grad():
    out = model(x)
print(f"eval loss {F.cross_entropy(out, y).item():.6f}")
print(f"running_mean {model.bn1.running_mean.sum().item():.6f}")
