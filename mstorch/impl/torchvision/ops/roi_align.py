"""torchvision.ops.roi_align, as a gather of bilinear taps.

Where each output bin samples depends only on the boxes (which get no gradient in
torchvision either), so the taps and their weights are computed on the host once per
call; the input is then read with one `index_select` and a weighted sum, which gives
the input gradient through ordinary autograd.
"""
import math

import numpy as np

from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.nn.modules.module import Module


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _rois_as_tensor(boxes):
    if isinstance(boxes, (list, tuple)):
        for b in boxes:
            if b.dim() != 2 or b.shape[1] != 4:
                raise ValueError("The shape of the tensor in the boxes list is not correct as List[Tensor[L, 4]]")
        parts = [np.concatenate([np.full((len(b), 1), i, dtype=np.float64), b.detach().numpy().astype(np.float64)],
                                axis=1) for i, b in enumerate(boxes)]
        return np.concatenate(parts, axis=0) if parts else np.zeros((0, 5))
    if boxes.dim() != 2 or boxes.shape[1] != 5:
        raise ValueError("The boxes tensor shape is not correct as Tensor[K, 5]")
    return boxes.detach().numpy().astype(np.float64)


def _axis_taps(start, size, pooled, grid, limit):
    """Per output bin along one axis: (low index, high index, low weight, high weight, valid) per sample."""
    bin_size = size / pooled
    p = np.arange(pooled)[:, None]
    g = np.arange(grid)[None, :]
    pos = start + p * bin_size + (g + 0.5) * bin_size / grid
    valid = (pos >= -1.0) & (pos <= limit)
    pos = np.maximum(pos, 0.0)
    low = np.floor(pos).astype(np.int64)
    at_edge = low >= limit - 1
    low = np.where(at_edge, limit - 1, low)
    high = np.where(at_edge, limit - 1, low + 1)
    pos = np.where(at_edge, low.astype(np.float64), pos)
    frac = pos - low
    return low, high, 1.0 - frac, frac, valid


def _taps(rois, height, width, pooled_h, pooled_w, spatial_scale, sampling_ratio, aligned, dtype):
    offset = 0.5 if aligned else 0.0
    index_rows, weight_rows, max_taps = [], [], 1
    for roi in rois:
        n = int(roi[0])
        x1, y1, x2, y2 = (roi[1:] * spatial_scale) - offset
        roi_w, roi_h = x2 - x1, y2 - y1
        if not aligned:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        # torchvision computes the geometry in the input's precision.
        x1, y1, roi_w, roi_h = (float(dtype.type(v)) for v in (x1, y1, roi_w, roi_h))
        gh = sampling_ratio if sampling_ratio > 0 else int(math.ceil(roi_h / pooled_h))
        gw = sampling_ratio if sampling_ratio > 0 else int(math.ceil(roi_w / pooled_w))
        count = max(gh * gw, 1)
        yl, yh, wyl, wyh, vy = _axis_taps(y1, roi_h, pooled_h, gh, height)
        xl, xh, wxl, wxh, vx = _axis_taps(x1, roi_w, pooled_w, gw, width)
        # Shapes: (ph, gh, 1, 1) against (1, 1, pw, gw) -> (ph, gh, pw, gw).
        Y = lambda a: a[:, :, None, None]  # noqa: E731
        X = lambda a: a[None, None, :, :]  # noqa: E731
        valid = Y(vy) & X(vx)
        base = n * height * width
        idx = [base + Y(yy) * width + X(xx) for yy in (yl, yh) for xx in (xl, xh)]
        wts = [Y(wy) * X(wx) * valid / count for wy in (wyl, wyh) for wx in (wxl, wxh)]
        # -> (ph, pw, taps)
        idx = np.stack(idx, -1).transpose(0, 2, 1, 3, 4).reshape(pooled_h, pooled_w, -1)
        wts = np.stack(wts, -1).transpose(0, 2, 1, 3, 4).reshape(pooled_h, pooled_w, -1)
        index_rows.append(idx)
        weight_rows.append(wts)
        max_taps = max(max_taps, idx.shape[-1])
    k = len(rois)
    index = np.zeros((k, pooled_h, pooled_w, max_taps), dtype=np.int64)
    weight = np.zeros((k, pooled_h, pooled_w, max_taps), dtype=np.float64)
    for i, (idx, wts) in enumerate(zip(index_rows, weight_rows)):
        index[i, :, :, :idx.shape[-1]] = idx
        weight[i, :, :, :wts.shape[-1]] = wts
    return index, weight


def roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    if input.dim() != 4:
        raise ValueError(f"roi_align expects a 4-d input (N, C, H, W), got {input.dim()}-d")
    pooled_h, pooled_w = _pair(output_size)
    n, c, height, width = input.shape
    rois = _rois_as_tensor(boxes)
    np_dtype = np.dtype(str(input.dtype).replace("torch.", ""))
    index, weight = _taps(rois, height, width, pooled_h, pooled_w, float(spatial_scale), int(sampling_ratio),
                          aligned, np_dtype)
    k = len(rois)
    if k == 0:
        return input.new_zeros((0, c, pooled_h, pooled_w))
    taps = index.shape[-1]
    flat = input.permute(0, 2, 3, 1).reshape(n * height * width, c)
    picked = flat.index_select(0, torch.as_tensor(index.reshape(-1), device=input.device))
    w = torch.as_tensor(weight.reshape(-1, 1).astype(np_dtype), device=input.device)
    out = (picked * w).reshape(k, pooled_h, pooled_w, taps, c).sum(3)
    return out.permute(0, 3, 1, 2).contiguous()


class RoIAlign(Module):
    def __init__(self, output_size, spatial_scale, sampling_ratio, aligned=False):
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale
        self.sampling_ratio = sampling_ratio
        self.aligned = aligned

    def forward(self, input, rois):
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio, self.aligned)

    def __repr__(self):
        return (f"{self.__class__.__name__}(output_size={self.output_size}, spatial_scale={self.spatial_scale}, "
                f"sampling_ratio={self.sampling_ratio}, aligned={self.aligned})")
