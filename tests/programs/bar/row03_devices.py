"""Bar row 3: device idioms as a CPU-host script writes them (guarded by is_available)."""
import torch
from _util import emit

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
m = torch.nn.Linear(3, 2).to(device)
x = torch.ones(2, 3, device=device)
y = m(x.to(device, non_blocking=True)).cpu()
d = torch.device("cpu", 0) if False else torch.device("cpu")
emit({"device": str(device), "type": device.type, "cuda": torch.cuda.is_available(),
      "count": torch.cuda.device_count(), "x_dev": str(x.device), "y_dev": str(y.device),
      "to_dtype": str(x.to(torch.float64).dtype), "to_other": str(x.to(torch.zeros(1, dtype=torch.int32)).dtype),
      "param_dev": str(next(m.parameters()).device), "eq": torch.device("cpu") == d,
      "mps": torch.backends.mps.is_available(), "cudnn": torch.backends.cudnn.is_available() in (True, False)})
