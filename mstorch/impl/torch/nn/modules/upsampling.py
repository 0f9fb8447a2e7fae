"""Upsample, UpsamplingNearest2d, UpsamplingBilinear2d and the F.interpolate they call.

No table op resamples yet, so interpolation is composed: along each spatial axis (last axis first, the order
PyTorch's CPU kernels accumulate in) gather the source taps with index_select and blend them with weights.
Indices and weights are computed on the host in float32 with PyTorch's formulas, so the sampled positions
agree with PyTorch's bit for bit."""
import math

import numpy as np

from mstorch.impl.torch._ns import F, torch
from mstorch.impl.torch.nn.modules.module import Module

_LINEAR_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_CUBIC_A = np.float32(-0.75)


def _scale(in_size, out_size, align_corners, scale):
    if align_corners:
        return np.float32((in_size - 1) / (out_size - 1)) if out_size > 1 else np.float32(0)
    if scale is not None and scale > 0:
        return np.float32(1.0 / scale)
    return np.float32(in_size) / np.float32(out_size)


def _nearest_taps(in_size, out_size, scale, exact):
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(in_size) / np.float32(out_size)
    dst = np.arange(out_size, dtype=np.float32)
    if exact:
        dst = dst + np.float32(0.5)
    src = np.floor(dst * s).astype(np.int64)
    return [np.minimum(src, in_size - 1)], None


def _linear_taps(in_size, out_size, align_corners, scale):
    s = _scale(in_size, out_size, align_corners, scale)
    dst = np.arange(out_size, dtype=np.float32)
    src = s * dst if align_corners else np.maximum(s * (dst + np.float32(0.5)) - np.float32(0.5), np.float32(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    i1 = np.minimum(i0 + 1, in_size - 1)
    w1 = (src - i0.astype(np.float32)).astype(np.float32)
    return [i0, i1], [np.float32(1) - w1, w1]


def _cubic_taps(in_size, out_size, align_corners, scale):
    s = _scale(in_size, out_size, align_corners, scale)
    dst = np.arange(out_size, dtype=np.float32)
    src = s * dst if align_corners else s * (dst + np.float32(0.5)) - np.float32(0.5)
    base = np.floor(src)
    t = (src - base).astype(np.float32)
    a = _CUBIC_A

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    base = base.astype(np.int64)
    idx = [np.clip(base + k, 0, in_size - 1) for k in (-1, 0, 1, 2)]
    one = np.float32(1)
    return idx, [far(t + one), near(t), near(one - t), far(np.float32(2) - t)]


def _resample_axis(x, axis, idx, weights):
    dev = x.device
    taps = [x.index_select(axis, torch.tensor(i, dtype=torch.long, device=dev)) for i in idx]
    if weights is None:
        return taps[0]
    shape = [1] * x.dim()
    shape[axis] = -1
    out = None
    for tap, w in zip(taps, weights):
        term = tap * torch.tensor(w.astype(np.float32), device=dev).to(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias:
        raise NotImplementedError("mstorch: F.interpolate(antialias=True) is not supported yet")
    nd = input.dim() - 2
    if nd < 1:
        raise ValueError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the "
                         f"modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            out_size = [int(s) for s in size]
        else:
            out_size = [int(size)] * nd
        scales = [None] * nd
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "scale_factor in (s1, s2, ...,sK) format.")
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * nd
        out_size = [int(math.floor(float(input.size(i + 2)) * scales[i])) for i in range(nd)]
        if recompute_scale_factor:
            scales = [None] * nd
    else:
        raise ValueError("either size or scale_factor should be defined")

    if mode == "area":
        pool = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d}.get(nd)
        if pool is None:
            raise NotImplementedError("mstorch: F.interpolate(mode='area') on 5D input is not supported yet")
        return pool(input, out_size if nd > 1 else out_size[0])
    if mode in _LINEAR_DIMS:
        if nd != _LINEAR_DIMS[mode]:
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {_LINEAR_DIMS[mode] + 2}D "
                                      "input")
    elif mode not in ("nearest", "nearest-exact"):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) "
                                  "for the modes: nearest | linear | bilinear | bicubic | trilinear | area | "
                                  f"nearest-exact (got {mode})")
    if any(n <= 0 for n in out_size) or any(n <= 0 for n in input.shape[2:]):
        # PyTorch's upsample kernels refuse empty or negative spatial sizes (a size or scale_factor <= 0).
        axes = "DHW"[3 - nd:]
        ins = ", ".join(f"{a}: {n}" for a, n in zip(axes, input.shape[2:]))
        outs = ", ".join(f"{a}: {n}" for a, n in zip(axes, out_size))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({ins})"
                           f"{' and' if nd == 1 else ''} output ({outs})")
    x = input
    for d in reversed(range(nd)):
        in_size = input.size(d + 2)
        if mode in ("nearest", "nearest-exact"):
            idx, w = _nearest_taps(in_size, out_size[d], scales[d], mode == "nearest-exact")
        elif mode == "bicubic":
            idx, w = _cubic_taps(in_size, out_size[d], align_corners, scales[d])
        else:
            idx, w = _linear_taps(in_size, out_size[d], align_corners, scales[d])
        x = _resample_axis(x, d + 2, idx, w)
    return x


class Upsample(Module):
    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def __setstate__(self, state):
        if "recompute_scale_factor" not in state:
            state["recompute_scale_factor"] = True
        super().__setstate__(state)

    def extra_repr(self):
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
