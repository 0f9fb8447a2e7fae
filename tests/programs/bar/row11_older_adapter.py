"""Bar row 11 (and the older-adapter item): `import mindtorch.torch as torch`,
`from mindtorch.tools import mstorch_enable`, a Module with bprop(self, x, y, out, dout) used as
its backward (deliberately 2x the true gradient), cast_to_adapter_tensor / cast_to_ms_tensor.
Runs under mstorch only; the test holds the hand-computed expectations."""
from mindtorch.tools import mstorch_enable  # noqa: F401
import mindtorch.torch as torch
import mindtorch.torch.nn as nn
import mindspore
import numpy as np
import torch as plain_torch
from _util import emit


class DoubledProduct(nn.Module):
    def forward(self, x, y):
        return x * y

    def bprop(self, x, y, out, dout):
        return 2 * dout * y, 2 * dout * x


x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
out = DoubledProduct()(x, y)
(out * 3).sum().backward()
ms = mindspore.Tensor(np.array([5.0, 6.0], np.float32))
adapted = torch.cast_to_adapter_tensor((ms, [ms]))
back = torch.cast_to_ms_tensor(torch.tensor([7.0]))
emit({"out": out, "x_grad": x.grad, "y_grad": y.grad, "same_module": plain_torch is torch,
      "adapted": adapted, "adapted_type": type(adapted[0]).__name__, "back_type": type(back).__name__,
      "back": back.asnumpy().tolist()})
