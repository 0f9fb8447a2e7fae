"""Bar row 13: no reserved names — any attribute PyTorch allows on a Module."""
import torch
import torch.nn as nn
from _util import emit


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.phase = "train"
        self.cells = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])
        self.construct = 3
        self.parameters_dict = {"a": 1}
        self.cast_inputs = True
        self.trainable_params = [1, 2]
        self.name = "net"
        self.register_buffer("bprop_debug", torch.zeros(1))
        self.compile_cache = None

    def forward(self, x):
        for c in self.cells:
            x = c(x)
        return x


torch.manual_seed(0)
n = Net()
out = n(torch.ones(3, 2))
emit({"keys": sorted(n.state_dict()), "out": out, "phase": n.phase, "construct": n.construct,
      "name": n.name, "params": len(list(n.parameters())), "children": [type(c).__name__ for c in n.children()]})
