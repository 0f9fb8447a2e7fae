"""Images/s through ImageFolder + Resize(224, bicubic) + ToTensor + Normalize + DataLoader(num_workers=2), mstorch
vs the same pipeline written with PIL + NumPy alone (real torchvision does not install beside torch 2.13 here).

    python bench/image_pipeline.py [n_images]"""
import os
import sys
import tempfile
import time

import numpy as np
from PIL import Image

import mstorch

T, TV = mstorch.torch, mstorch.torchvision
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def make_images(root, n):
    rng = np.random.RandomState(0)
    for i in range(n):
        cls = os.path.join(root, f"c{i % 4}")
        os.makedirs(cls, exist_ok=True)
        Image.fromarray(rng.randint(0, 256, (256, 320, 3), dtype=np.uint8)).save(os.path.join(cls, f"{i}.png"))


def run_mstorch(root, workers):
    tr = TV.transforms
    pipe = tr.Compose([tr.Resize(224, interpolation=tr.InterpolationMode.BICUBIC), tr.ToTensor(),
                       tr.Normalize(MEAN, STD)])
    loader = T.utils.data.DataLoader(TV.datasets.ImageFolder(root, transform=pipe), batch_size=16,
                                     num_workers=workers)
    start, n = time.perf_counter(), 0
    for x, _ in loader:
        n += x.shape[0]
    return n / (time.perf_counter() - start)


def run_numpy(root):
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
    mean, std = np.array(MEAN, np.float32)[:, None, None], np.array(STD, np.float32)[:, None, None]
    start = time.perf_counter()
    for p in paths:
        img = Image.open(p).convert("RGB")
        w, h = img.size
        img = img.resize((int(224 * w / h), 224), Image.BICUBIC)
        x = np.asarray(img, np.float32).transpose(2, 0, 1) / 255
        _ = (x - mean) / std
    return len(paths) / (time.perf_counter() - start)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    with tempfile.TemporaryDirectory() as root:
        make_images(root, n)
        base = run_numpy(root)
        for workers in (0, 2):
            ips = run_mstorch(root, workers)
            print(f"mstorch num_workers={workers}: {ips:7.1f} img/s   PIL+NumPy (1 process): {base:7.1f} img/s   "
                  f"ratio {ips / base:.2f}")
