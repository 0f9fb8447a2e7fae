"""The real safetensors package on torch tensors: save_file, then (argv[2] == "load")
load_file / safe_open / load(bytes).  argv[2] == "read" reads an existing file (written by
another runtime) without saving first.  Prints what it read as JSON."""
import json
import sys

import torch
from safetensors.torch import load, load_file, safe_open, save, save_file

path, mode = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
tensors = {"w": torch.randn(3, 4), "ids": torch.arange(5), "half": torch.ones(2, dtype=torch.float16) / 3,
           "flag": torch.tensor([True, False]), "t": torch.randn(4, 3).t()[1:]}
tensors["t"] = tensors["t"].contiguous()
if mode != "read":
    save_file(tensors, path, metadata={"format": "pt"})
out = {}
if mode in ("load", "read"):
    def show(d):
        return {k: [str(v.dtype), list(v.shape), v.float().flatten().tolist()] for k, v in sorted(d.items())}
    out["load_file"] = show(load_file(path))
    with safe_open(path, framework="pt") as f:
        out["keys"] = sorted(f.keys())
        out["metadata"] = f.metadata()
        out["slice"] = f.get_slice("w")[1:, :2].tolist()
    out["bytes"] = show(load(save(tensors)))
print(json.dumps(out))
