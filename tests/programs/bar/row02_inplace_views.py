"""Bar row 2: in-place ops that share memory through every alias."""
import torch
from _util import emit

x = torch.arange(12.).reshape(3, 4)
alias = x.view(12)
x.add_(1)
row = x[0]
row.mul_(10)
x.t()[1].zero_()
a, b, c = torch.ones(3), torch.full((3,), 2.), torch.empty(3)
r = torch.add(a, b, out=c)
boxes = torch.arange(2 * 3 * 8, dtype=torch.float32).reshape(2, 3, 8) - 10
boxes[1, :, 0::4].clamp_(0, 20)
y = torch.zeros(4, 4)
y[:, 0::2] += 5
y.diagonal().fill_(-1)
emit({"x": x, "alias": alias, "c": c, "same_obj": r is c, "boxes": boxes, "y": y,
      "version_bumped": x._version > 0, "ptr_rel": row.data_ptr() == x.data_ptr()})
