"""Bar row 7 (and the formatting item): format specs, print/repr on every dtype and rank,
item/tolist/numpy (sharing memory) for handing to OpenCV/PIL."""
import torch
from _util import emit

torch.manual_seed(0)
reprs = {}
for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
           torch.int8, torch.uint8, torch.bool):
    base = torch.arange(-3, 3).to(dt) if dt not in (torch.uint8, torch.bool) else torch.arange(6).to(dt)
    for rank, shape in enumerate(((), (6,), (2, 3), (1, 2, 3))):
        t = base.reshape(shape) if shape else base[4]
        reprs[f"{dt}-{rank}"] = repr(t)
f = torch.tensor([3.14159, -2.5, 1e-5, 12345.678])
s = torch.tensor(2.71828)
reprs["small"] = repr(f)
reprs["str"] = str(torch.randn(3, 2))
reprs["grad"] = repr(torch.ones(2, requires_grad=True) * 2)
reprs["big"] = repr(torch.arange(2000.).reshape(2, 1000))
arr = f.numpy()
f[0] = 7.0
emit({"reprs": reprs, "fmt": f"{s:.2f}", "fmt2": "{:>8.3f}".format(s), "fmt_int": f"{torch.tensor(7):d}",
      "fmt_plain": f"{s}", "item": s.item(), "tolist": f.tolist(), "shared": float(arr[0]),
      "np_dtype": str(torch.ones(2, dtype=torch.uint8).numpy().dtype), "int_item": torch.tensor(5).item()})
