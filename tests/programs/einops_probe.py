"""Imports einops and torch in the order argv[1] gives ("einops-first" / "torch-first"),
then reports which torch einops picked for an mstorch tensor. Run with MSTORCH_ENABLE=1."""
import json
import sys

if sys.argv[1] == "einops-first":
    import einops
    import torch
else:
    import torch
    import einops
from einops._backends import get_backend

x = torch.zeros(2, 3)
backend = get_backend(x)
print(json.dumps({
    "backend_torch_is_ours": backend.torch is torch and type(torch).__module__ == "mstorch.proxy",
    "rearranged_shape": list(einops.rearrange(x, "a b -> b a").shape),
}))
