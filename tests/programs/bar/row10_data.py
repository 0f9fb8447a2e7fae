"""Bar row 10: DataLoader(num_workers=2, pin_memory=True, shuffle=True) over a torchvision
dataset read from its real on-disk format (MNIST idx files), with transforms
(Resize BICUBIC, ToTensor, Normalize)."""
import os
import struct
import tempfile

import numpy as np
import torch
from torchvision import datasets, transforms
from torchvision.transforms import InterpolationMode
from _util import emit

root = tempfile.mkdtemp()
raw = os.path.join(root, "MNIST", "raw")
os.makedirs(raw)
rng = np.random.RandomState(0)
images = rng.randint(0, 256, (10, 28, 28)).astype(np.uint8)
labels = rng.randint(0, 10, 10).astype(np.uint8)
for split in ("train", "t10k"):
    with open(os.path.join(raw, f"{split}-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, 10, 28, 28) + images.tobytes())
    with open(os.path.join(raw, f"{split}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, 10) + labels.tobytes())
tf = transforms.Compose([transforms.Resize((6, 8), interpolation=InterpolationMode.BICUBIC), transforms.ToTensor(),
                         transforms.Normalize((0.5,), (0.25,))])
ds = datasets.MNIST(root, train=True, download=False, transform=tf)
torch.manual_seed(3)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, pin_memory=True)
batches = [[list(x.shape), y.tolist(), round(x.sum().item(), 3), str(x.dtype)] for x, y in loader]
emit({"n": len(ds), "batches": batches, "first": ds[0][0][0, 0], "label0": ds[0][1]})
