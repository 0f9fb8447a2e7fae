"""A small PyTorch program, written for PyTorch and run unmodified:

    python examples/tensor_basics.py               # real PyTorch
    python -m mstorch examples/tensor_basics.py    # the same file on MindSpore
"""
import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
shifted = torch.add(x, torch.zeros(2, 3) + 0.5)
columns = shifted.reshape(3, 2).permute(1, 0)

print("shape:", tuple(columns.shape))
print("sum:", columns.sum().item())
print("mean:", columns.mean().item())
