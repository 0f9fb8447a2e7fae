"""Samples per second through a DataLoader: mstorch with 0 and 2 workers vs real torch
(if importable) on the same synthetic dataset.  Prints numbers; not a timed test.

    python bench/dataloader_throughput.py [--n 2048] [--size 64]
"""
import argparse
import time

import numpy as np


def make_dataset(torch, n, size):
    class Synthetic(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            rng = np.random.default_rng(i)
            img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
            t = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
            return (t - 0.5) / 0.25, i % 10
    return Synthetic()


def measure(torch, workers, n, size, batch):
    ds = make_dataset(torch, n, size)
    dl = torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True, num_workers=workers)
    t0 = time.perf_counter()
    seen = 0
    for x, y in dl:
        seen += x.shape[0]
    return seen / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=2048)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args()
    import mstorch
    rows = [("mstorch", w, measure(mstorch.torch, w, a.n, a.size, a.batch)) for w in (0, 2)]
    try:
        import torch
        rows += [("torch", w, measure(torch, w, a.n, a.size, a.batch)) for w in (0, 2)]
    except ImportError:
        pass
    for name, w, rate in rows:
        print(f"{name:8s} num_workers={w}: {rate:9.1f} samples/s  (3x{a.size}x{a.size} float32, batch {a.batch})")


if __name__ == "__main__":
    main()
