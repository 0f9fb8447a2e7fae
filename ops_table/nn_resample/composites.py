"""Padding modes, pixel shuffles and resampling as decompositions into table ops.

Non-constant padding is a gather along each padded dim; built from narrow / flip / cat
/ expand it needs no kernel of its own and differentiates (twice) through those ops."""
import math

import numpy as np


def _check_mode_dims(x, pad, mode):
    n = len(pad) // 2
    if len(pad) % 2 or n > 3 or x.dim() not in (n + 1, n + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {x.dim()}D input tensor.\n"
                                  "Supported combinations for non-constant padding:\n  - 2D or 3D input: padding size "
                                  "= 2 (pads last dimension)\n  - 3D or 4D input: padding size = 4 (pads last 2 "
                                  "dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad(T, self, pad, mode, value):
    pad = list(pad)
    if mode == "constant":
        return T.constant_pad_nd(self, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    _check_mode_dims(self, pad, mode)
    x = self
    for i in range(len(pad) // 2):
        d = x.dim() - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = x.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(self.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and n == 0 and (lo > 0 or hi > 0):
            raise RuntimeError(f"padding size is expected to be smaller than input size, got input {n}")
        if lo < 0:
            x = x.narrow(d, -lo, x.shape[d] + lo)
        if hi < 0:
            x = x.narrow(d, 0, x.shape[d] + hi)
        lo, hi = max(lo, 0), max(hi, 0)
        if lo == 0 and hi == 0:
            continue
        m = x.shape[d]
        parts = []
        if mode == "reflect":
            if lo:
                parts.append(x.narrow(d, 1, lo).flip([d]))
            parts.append(x)
            if hi:
                parts.append(x.narrow(d, m - 1 - hi, hi).flip([d]))
        elif mode == "replicate":
            if lo:
                parts.append(_edge(x, d, 0, lo))
            parts.append(x)
            if hi:
                parts.append(_edge(x, d, m - 1, hi))
        else:
            if lo:
                parts.append(x.narrow(d, m - lo, lo))
            parts.append(x)
            if hi:
                parts.append(x.narrow(d, 0, hi))
        x = _join(T, parts, d)
    return x if x is not self else self.clone()


def _edge(x, d, at, count):
    shape = list(x.shape)
    shape[d] = count
    return x.narrow(d, at, 1).expand(shape)


def _join(T, parts, d):
    """cat along d, spelt as a sum of zero-padded pieces: constant_pad_nd's backward is a crop."""
    total = sum(p.shape[d] for p in parts)
    out, at = None, 0
    for p in parts:
        k = p.dim() - 1 - d
        pad = [0, 0] * k + [at, total - at - p.shape[d]]
        piece = T.constant_pad_nd(p, pad, 0)
        out = piece if out is None else out + piece
        at += p.shape[d]
    return out


def pixel_shuffle(T, self, upscale_factor):
    r = upscale_factor
    if self.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = self.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    k = len(lead)
    x = self.reshape(lead + [c // (r * r), r, r, h, w])
    x = x.permute(list(range(k)) + [k, k + 3, k + 1, k + 4, k + 2])
    return x.reshape(lead + [c // (r * r), h * r, w * r])


def pixel_unshuffle(T, self, downscale_factor):
    r = downscale_factor
    if self.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = self.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by downscale_factor, but "
                           f"got {h} x {w} and {r}")
    k = len(lead)
    x = self.reshape(lead + [c, h // r, r, w // r, r])
    x = x.permute(list(range(k)) + [k, k + 2, k + 4, k + 1, k + 3])
    return x.reshape(lead + [c * r * r, h // r, w // r])


def channel_shuffle(T, self, groups):
    if self.dim() < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    n, c = self.shape[0], self.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    rest = list(self.shape[2:])
    x = self.reshape([n, groups, c // groups] + rest).transpose(1, 2)
    return x.reshape([n, c] + rest)


# ---- upsampling (the kernels behind F.interpolate) ---------------------------------------------
# Along each spatial axis (last axis first, the order PyTorch's CPU kernels accumulate in) gather
# the source taps with index_select and blend them with weights. Indices and weights are computed
# on the host with PyTorch's formulas and float types, so the sampled positions agree bit for bit.

def _const(T, array, like, dtype=None):
    return T.tensor(array, dtype=dtype if dtype is not None else like.dtype, device=like.device)


def _area_scale(in_size, out_size, align_corners, scale, f):
    if align_corners:
        return f((in_size - 1) / (out_size - 1)) if out_size > 1 else f(0)
    if scale is not None and scale > 0:
        return f(1.0 / scale)
    return f(in_size) / f(out_size)


def _nearest_taps(in_size, out_size, scale, exact):
    # PyTorch's nearest kernels index in float32 whatever the input dtype.
    f = np.float32
    s = f(1.0 / scale) if scale is not None and scale > 0 else f(in_size) / f(out_size)
    dst = np.arange(out_size, dtype=f)
    if exact:
        dst = dst + f(0.5)
    src = np.floor(dst * s).astype(np.int64)
    return [np.minimum(src, in_size - 1)], None


def _linear_taps(in_size, out_size, align_corners, scale, f):
    s = _area_scale(in_size, out_size, align_corners, scale, f)
    dst = np.arange(out_size, dtype=f)
    src = s * dst if align_corners else np.maximum(s * (dst + f(0.5)) - f(0.5), f(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    i1 = np.minimum(i0 + 1, in_size - 1)
    w1 = (src - i0.astype(f)).astype(f)
    return [i0, i1], [f(1) - w1, w1]


def _cubic_taps(in_size, out_size, align_corners, scale, f):
    s = _area_scale(in_size, out_size, align_corners, scale, f)
    dst = np.arange(out_size, dtype=f)
    src = s * dst if align_corners else s * (dst + f(0.5)) - f(0.5)
    base = np.floor(src)
    t = (src - base).astype(f)
    a = f(-0.75)

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    base = base.astype(np.int64)
    idx = [np.clip(base + k, 0, in_size - 1) for k in (-1, 0, 1, 2)]
    one = f(1)
    return idx, [far(t + one), near(t), near(one - t), far(f(2) - t)]


def _resample_axis(T, x, axis, idx, weights):
    taps = [x.index_select(axis, _const(T, i, x, T.int64)) for i in idx]
    if weights is None:
        return taps[0]
    shape = [1] * x.dim()
    shape[axis] = -1
    out = None
    for tap, w in zip(taps, weights):
        term = tap * _const(T, w, x, T.float64 if w.dtype == np.float64 else T.float32).to(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def _check_upsample(x, out_size, nd):
    out_size = [int(s) for s in out_size]
    if len(out_size) != nd:
        raise RuntimeError(f"It is expected output_size equals to {nd}, but got size {len(out_size)}")
    if x.dim() != nd + 2:
        raise RuntimeError(f"It is expected input_size equals to {nd + 2}, but got size {x.dim()}")
    spatial = list(x.shape[2:])
    if any(n <= 0 for n in out_size) or any(n <= 0 for n in spatial):
        axes = "DHW"[3 - nd:]
        ins = ", ".join(f"{a}: {n}" for a, n in zip(axes, spatial))
        outs = ", ".join(f"{a}: {n}" for a, n in zip(axes, out_size))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({ins})"
                           f"{' and' if nd == 1 else ''} output ({outs})")
    if x.numel() == 0 and math.prod(x.shape[1:]) == 0:
        raise RuntimeError(f"Non-empty {nd + 2}D data tensor expected but got a tensor with sizes {list(x.shape)}")
    return out_size


def _upsample(T, x, out_size, scales, kind, align_corners=False):
    nd = len(scales)
    out_size = _check_upsample(x, out_size, nd)
    # Linear and cubic weights are computed in the input's compute type (double for float64), as PyTorch does.
    f = np.float64 if x.dtype == T.float64 else np.float32
    for d in reversed(range(nd)):
        in_size = x.size(d + 2)
        if kind in ("nearest", "nearest-exact"):
            idx, w = _nearest_taps(in_size, out_size[d], scales[d], kind == "nearest-exact")
        elif kind == "cubic":
            idx, w = _cubic_taps(in_size, out_size[d], align_corners, scales[d], f)
        else:
            idx, w = _linear_taps(in_size, out_size[d], align_corners, scales[d], f)
        x = _resample_axis(T, x, d + 2, idx, w)
    return x


def upsample_nearest1d(T, self, output_size, scales):
    return _upsample(T, self, output_size, [scales], "nearest")


def upsample_nearest2d(T, self, output_size, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "nearest")


def upsample_nearest3d(T, self, output_size, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "nearest")


def _upsample_nearest_exact1d(T, self, output_size, scales):
    return _upsample(T, self, output_size, [scales], "nearest-exact")


def _upsample_nearest_exact2d(T, self, output_size, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "nearest-exact")


def _upsample_nearest_exact3d(T, self, output_size, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "nearest-exact")


def upsample_linear1d(T, self, output_size, align_corners, scales):
    return _upsample(T, self, output_size, [scales], "linear", align_corners)


def upsample_bilinear2d(T, self, output_size, align_corners, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "linear", align_corners)


def upsample_bicubic2d(T, self, output_size, align_corners, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "cubic", align_corners)


def upsample_trilinear3d(T, self, output_size, align_corners, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "linear", align_corners)
