"""Bar row 8 (and the Variable / legacy constructor item)."""
import torch
from torch.autograd import Variable
from _util import emit

v = Variable(torch.ones(2, 2), requires_grad=True)
w = Variable(torch.tensor([1.0, 2.0]))
y = (v * 3).sum()
y.backward()
f = torch.FloatTensor(2, 3)
f.fill_(1.5)
lt = torch.LongTensor([1, 2, 3])
bt = torch.ByteTensor([0, 255])
emit({"v_grad": v.grad, "v_data": v.data, "isvar": isinstance(v, Variable), "w_rg": w.requires_grad,
      "y": y, "legacy_empty": torch.Tensor().shape, "legacy_size": torch.Tensor(2, 3).shape,
      "legacy_data": torch.Tensor([[1, 2]]), "float": f, "long": lt, "byte": bt,
      "types": [torch.DoubleTensor([1]).dtype, torch.IntTensor([1]).dtype, torch.HalfTensor([1]).dtype,
                torch.BoolTensor([1]).dtype, torch.ShortTensor(2).dtype, torch.CharTensor(1).dtype],
      "isinstance": [isinstance(f, torch.FloatTensor), isinstance(lt, torch.FloatTensor),
                     isinstance(lt, torch.LongTensor)],
      "cast": lt.type(torch.FloatTensor), "type_str": lt.type(), "type_name": f.type(torch.DoubleTensor).type(),
      "cls": repr(torch.FloatTensor), "size_ctor": torch.FloatTensor(torch.Size([2])).shape})
