"""Bar row 6 (and the MindSpore-interop item): user code that calls MindSpore directly hands
its mindspore.Tensor to torch APIs and operators, both ways. Runs under mstorch only."""
import mindspore
import numpy as np
import torch
from _util import emit

ms = mindspore.Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
t = torch.tensor([[10.0, 20.0], [30.0, 40.0]])
lin = torch.nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.fill_(1.0)
    lin.bias.fill_(0.5)
back = t.to_mindspore()
emit({"add_fn": torch.add(ms, t), "t_plus_ms": t + ms, "ms_plus_t": ms + t, "ms_mul_t": ms * t,
      "ms_sub_t": ms - t, "ms_matmul_t": ms @ t, "ms_gt_t": ms > t, "relu": torch.relu(ms - 2),
      "linear": lin(ms), "cat": torch.cat([ms, t]), "from_ms": torch.from_numpy(ms.asnumpy()),
      "to_ms_type": type(back).__name__, "to_ms": back.asnumpy().tolist(),
      "result_type": type(ms + t).__name__})
