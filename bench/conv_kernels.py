"""Conv2d on CPU: mstorch's im2col gather + MindSpore MatMul vs MindSpore's own Conv2D.

Prints JSON: median ms per call, forward and forward+backward (grads of input and
weight), batch 64, LeNet- and ResNet-like shapes, plus os.getloadavg().  The order of
the cpu candidates of conv entries (ops_table/nn_conv/entries.py) rests on this.

    python bench/conv_kernels.py [--reps N] [--torch]
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

SHAPES = [  # name, C_in, C_out, k, H, padding, stride
    ("lenet_c1", 1, 6, 5, 28, 0, 1),
    ("lenet_c2", 6, 16, 5, 12, 0, 1),
    ("resnet_3x3_32ch_16", 32, 32, 3, 16, 1, 1),
    ("resnet_3x3_64ch_8_s2", 64, 64, 3, 16, 1, 2),
]
BATCH = 64


def _median_ms(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return round(statistics.median(ts), 3)


def bench_mstorch(x_np, w_np, pad, stride, reps):
    import mstorch
    T = mstorch.torch
    x = T.from_numpy(x_np.copy())
    w = T.from_numpy(w_np.copy())
    F = T.nn.functional

    def fwd():
        return F.conv2d(x, w, None, stride, pad).numpy()

    xg = T.from_numpy(x_np.copy()).requires_grad_(True)
    wg = T.from_numpy(w_np.copy()).requires_grad_(True)

    def fwd_bwd():
        y = F.conv2d(xg, wg, None, stride, pad)
        gx, gw = T.autograd.grad(y.sum(), [xg, wg])
        return gw.numpy()
    return _median_ms(fwd, reps), _median_ms(fwd_bwd, reps)


def bench_mindspore(x_np, w_np, pad, stride, reps):
    import mindspore as ms
    from mindspore import ops
    conv = ops.Conv2D(w_np.shape[0], w_np.shape[2], pad_mode="pad", pad=pad, stride=stride)
    x, w = ms.Tensor(x_np), ms.Tensor(w_np)

    def fwd():
        return conv(x, w).asnumpy()

    grad = ms.grad(lambda a, b: conv(a, b).sum(), grad_position=(0, 1))

    def fwd_bwd():
        gx, gw = grad(x, w)
        return gw.asnumpy()
    return _median_ms(fwd, reps), _median_ms(fwd_bwd, reps)


def bench_torch(x_np, w_np, pad, stride, reps):
    import torch
    torch.set_num_threads(1)
    x = torch.from_numpy(x_np)
    w = torch.from_numpy(w_np)

    def fwd():
        return torch.nn.functional.conv2d(x, w, None, stride, pad).numpy()
    xg, wg = x.clone().requires_grad_(True), w.clone().requires_grad_(True)

    def fwd_bwd():
        y = torch.nn.functional.conv2d(xg, wg, None, stride, pad)
        return torch.autograd.grad(y.sum(), [xg, wg])[1].numpy()
    return _median_ms(fwd, reps), _median_ms(fwd_bwd, reps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--torch", action="store_true", help="also time real torch (1 thread) as a reference")
    args = ap.parse_args()
    import mindspore as ms
    ms.runtime.launch_blocking()
    rng = np.random.default_rng(0)
    out = {"batch": BATCH, "reps": args.reps, "loadavg_start": os.getloadavg(), "cpus": os.cpu_count(),
           "unit": "median ms per call", "shapes": {}}
    for name, cin, cout, k, h, pad, stride in SHAPES:
        x = rng.standard_normal((BATCH, cin, h, h)).astype(np.float32)
        w = rng.standard_normal((cout, cin, k, k)).astype(np.float32)
        row = {}
        row["mstorch_im2col_fwd"], row["mstorch_im2col_fwd_bwd"] = bench_mstorch(x, w, pad, stride, args.reps)
        row["mindspore_conv2d_fwd"], row["mindspore_conv2d_fwd_bwd"] = bench_mindspore(x, w, pad, stride, args.reps)
        if args.torch:
            row["torch_fwd"], row["torch_fwd_bwd"] = bench_torch(x, w, pad, stride, args.reps)
        row["speedup_fwd"] = round(row["mindspore_conv2d_fwd"] / row["mstorch_im2col_fwd"], 2)
        row["speedup_fwd_bwd"] = round(row["mindspore_conv2d_fwd_bwd"] / row["mstorch_im2col_fwd_bwd"], 2)
        out["shapes"][name] = row
        print(name, row, file=sys.stderr, flush=True)
    out["loadavg_end"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
