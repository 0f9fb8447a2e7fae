"""Deliver item: a process that keeps real PyTorch for its data and mstorch for the model.
Runs under plain Python (real torch importable); the test holds the expectations."""
import torch as real

import mstorch
from _util import emit

data = real.arange(6, dtype=real.float32).reshape(2, 3)
mstorch.enable()
import torch as mt  # noqa: E402  (mstorch's torch now)

t = mstorch.from_torch(data)
data[0, 0] = 42.0  # no copy: the change shows through
try:
    mt.add(t, data)
    err = None
except TypeError as e:
    err = str(e)
y = mt.nn.functional.linear(t, mt.ones(1, 3))
mstorch.disable()
import torch as again  # noqa: E402
emit({"t": t.tolist(), "y": y.tolist(), "err": err, "is_real_again": again is real,
      "mstorch_type": type(t).__module__, "strided": mstorch.from_torch(data.t()).tolist(),
      "long": str(mstorch.from_torch(real.tensor([1, 2])).dtype)})
