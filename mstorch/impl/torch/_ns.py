"""The public torch namespaces as the user sees them (table ops + Python implementations),
for mstorch's own Python code (modules, optimizers) to call."""
from mstorch import proxy as _proxy

torch = _proxy.get("torch")
F = _proxy.get("torch.nn.functional")
