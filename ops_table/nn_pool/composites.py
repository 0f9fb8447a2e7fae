"""Pooling and im2col/col2im as decompositions into table ops (conv*, constant_pad_nd,
the max-pool kernels), so their gradients come from those ops' formulas."""
import math

import numpy as np

from ops_table.nn_pool.host import adaptive_ranges, pool_out_size


def _pair(v, n=2):
    if v is None:
        return None
    v = list(v) if isinstance(v, (list, tuple)) else [v]
    return v * n if len(v) == 1 else v


def max_pool2d(T, self, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    out = T.max_pool2d_with_indices(self, kernel_size, stride if stride else kernel_size, padding, dilation, ceil_mode)
    return out if return_indices else out[0]


def max_pool1d_with_indices(T, self, kernel_size, stride, padding, dilation, ceil_mode):
    if self.dim() not in (2, 3):
        raise RuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got {list(self.shape)}")
    k, p, d = [1] + list(kernel_size), [0] + list(padding), [1] + list(dilation)
    s = [1] + list(stride if stride else kernel_size)
    v, i = T.max_pool2d_with_indices(self.unsqueeze(-2), k, s, p, d, ceil_mode)
    return v.squeeze(-2), i.squeeze(-2)


def max_pool1d(T, self, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    out = max_pool1d_with_indices(T, self, kernel_size, stride, padding, dilation, ceil_mode)
    return out if return_indices else out[0]


def _out_size(output_size, x, n):
    sizes = _pair(output_size, n)
    return [x.shape[x.dim() - n + i] if s is None else s for i, s in enumerate(sizes)]


def adaptive_max_pool2d(T, self, output_size, return_indices):
    if self.dim() < 3:
        raise ValueError("Input dimension should be at least 3")
    out = T.adaptive_max_pool2d_with_indices(self, _out_size(output_size, self, 2))
    return out if return_indices else out[0]


def adaptive_max_pool1d(T, self, output_size, return_indices):
    if self.dim() not in (2, 3):
        raise RuntimeError(f"adaptive_max_pool1d() Expected 2D or 3D input tensor, but got {list(self.shape)}")
    v, i = T.adaptive_max_pool2d_with_indices(self.unsqueeze(-2), [1] + _out_size(output_size, self, 1))
    out = (v.squeeze(-2), i.squeeze(-2))
    return out if return_indices else out[0]


def _divisors(size, k, s, p, o, count_include_pad):
    out = []
    for i in range(o):
        start = i * s - p
        end = min(start + k, size + p)
        full = end - start
        start, end = max(start, 0), min(end, size)
        out.append(full if count_include_pad else end - start)
    return np.array(out, dtype=np.float64)


def avg_pool2d(T, self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    k = _pair(kernel_size)
    s = _pair(stride) if stride else k
    p = _pair(padding)
    if self.dim() < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(self.dim(), 1)}, "
                         f"{max(self.dim(), 1) - 1}], but got -3)")
    if self.dim() not in (3, 4):
        raise RuntimeError(f"non-empty 3D or 4D (batch mode) tensor expected for input, got {list(self.shape)}")
    if any(pp > kk // 2 for pp, kk in zip(p, k)):
        raise RuntimeError("pad should be at most half of effective kernel size")
    if any(v <= 0 for v in s) or any(v <= 0 for v in k):
        raise RuntimeError("stride and kernel size should be greater than zero")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if not self.is_floating_point():
        raise NotImplementedError(f"mstorch: avg_pool2d on {self.dtype} is not supported yet")
    x = self if self.dim() == 4 else self.unsqueeze(0)
    n, c, h, w = x.shape
    oh = pool_out_size(h, k[0], s[0], p[0], 1, ceil_mode)
    ow = pool_out_size(w, k[1], s[1], p[1], 1, ceil_mode)
    if oh <= 0 or ow <= 0:
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{oh}x{ow}). "
                           "Output size is too small")
    hi_h = max((oh - 1) * s[0] + k[0] - h - p[0], 0)
    hi_w = max((ow - 1) * s[1] + k[1] - w - p[1], 0)
    if True:
        xp = T.constant_pad_nd(x.reshape(n * c, 1, h, w), [p[1], hi_w, p[0], hi_h], 0)
        sums = T.conv2d(xp, T.ones((1, 1, k[0], k[1]), dtype=self.dtype), None, s)
        sums = sums.narrow(2, 0, oh).narrow(3, 0, ow)
        if divisor_override is not None:
            out = sums / divisor_override
        else:
            div = np.outer(_divisors(h, k[0], s[0], p[0], oh, count_include_pad),
                           _divisors(w, k[1], s[1], p[1], ow, count_include_pad))
            out = sums / T.tensor(div, dtype=self.dtype)
        out = out.reshape(n, c, oh, ow)
    return out if self.dim() == 4 else out.squeeze(0)


def avg_pool1d(T, self, kernel_size, stride, padding, ceil_mode, count_include_pad):
    if self.dim() not in (2, 3):
        raise RuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got {list(self.shape)}")
    s = [1] + list(stride if stride else kernel_size)
    out = avg_pool2d(T, self.unsqueeze(-2), [1] + list(kernel_size), s, [0] + list(padding), ceil_mode,
                     count_include_pad, None)
    return out.squeeze(-2)


def lp_pool2d(T, self, norm_type, kernel_size, stride, ceil_mode):
    k = _pair(kernel_size)
    out = avg_pool2d(T, T.pow(self, norm_type), k, stride, [0, 0], ceil_mode, True, None)
    return (T.sign(out) * T.relu(T.abs(out))).mul(k[0] * k[1]).pow(1.0 / norm_type)


def lp_pool1d(T, self, norm_type, kernel_size, stride, ceil_mode):
    k = _pair(kernel_size, 1)
    out = avg_pool1d(T, T.pow(self, norm_type), k, _pair(stride, 1), [0], ceil_mode, True)
    return (T.sign(out) * T.relu(T.abs(out))).mul(k[0]).pow(1.0 / norm_type)


def apply_along(T, x, d, m):
    """Contract dim d of x with the (out, in) matrix m: a conv1d whose kernel spans the dim,
    so the product runs as one GEMM and differentiates through conv's formulas."""
    out_n, in_n = m.shape
    xm = x.movedim(d, -1)
    shape = list(xm.shape)
    rows = int(np.prod(shape[:-1])) if shape[:-1] else 1
    if in_n == 0 or out_n == 0:
        r = T.zeros(shape[:-1] + [out_n], dtype=x.dtype)
    else:
        w = T.tensor(m, dtype=x.dtype).reshape(out_n, 1, in_n)
        r = T.conv1d(xm.reshape(rows, 1, in_n), w).reshape(shape[:-1] + [out_n])
    return r.movedim(-1, d)


def adaptive_matrix(size, out):
    m = np.zeros((out, size))
    for i, (a, b) in enumerate(adaptive_ranges(size, out)):
        m[i, a:b] = 1.0 / (b - a)
    return m


def _adaptive_avg(T, self, output_size, n, name):
    if self.dim() < n + 1 and n == 2:
        raise ValueError(f"Input dimension should be at least {n + 1}")
    if self.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got {list(self.shape)}")
    if any(v == 0 for v in self.shape[-n:]):
        raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                           f"sizes {list(self.shape)} with dimension {self.dim() - 1} being empty")
    sizes = _out_size(output_size, self, n)
    x = self
    for i in range(n):
        d = self.dim() - n + i
        x = apply_along(T, x, d, adaptive_matrix(self.shape[d], sizes[i]))
    return x


def adaptive_avg_pool2d(T, self, output_size):
    return _adaptive_avg(T, self, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool1d(T, self, output_size):
    return _adaptive_avg(T, self, output_size, 1, "adaptive_avg_pool1d")


def _eye_kernel(T, k, dtype):
    kk = k[0] * k[1]
    return T.tensor(np.eye(kk).reshape(kk, 1, k[0], k[1]), dtype=dtype)


def im2col(T, self, kernel_size, dilation, padding, stride):
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    if self.dim() not in (3, 4):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(self.shape)}")
    x = self if self.dim() == 4 else self.unsqueeze(0)
    n, c, h, w = x.shape
    y = T.conv2d(x.reshape(n * c, 1, h, w), _eye_kernel(T, k, self.dtype), None, s, p, d)
    out = y.reshape(n, c * k[0] * k[1], y.shape[2] * y.shape[3])
    return out if self.dim() == 4 else out.squeeze(0)


def col2im(T, self, output_size, kernel_size, dilation, padding, stride):
    o, k, d, p, s = _pair(output_size), _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    if self.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(self.shape)}")
    x = self if self.dim() == 3 else self.unsqueeze(0)
    n, ck, ell = x.shape
    kk = k[0] * k[1]
    blocks = [(o[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]
    if ck % kk != 0:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={ck} and kernel_size={tuple(k)}")
    if blocks[0] * blocks[1] != ell or min(blocks) <= 0:
        raise RuntimeError(f"Given output_size={tuple(o)}, kernel_size={tuple(k)}, dilation={tuple(d)}, "
                           f"padding={tuple(p)}, stride={tuple(s)}, expected size of input's dimension 2 to match "
                           f"the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{blocks[0] * blocks[1]}, but got input.size(2)={ell}.")
    c = ck // kk
    cols = x.reshape(n * c, kk, blocks[0], blocks[1])
    used = [(blocks[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - 2 * p[i] for i in range(2)]
    op = [o[i] - used[i] for i in range(2)]
    extra = [max(0, op[i] - max(s[i], d[i]) + 1) for i in range(2)]
    op = [op[i] - extra[i] for i in range(2)]
    y = T.conv_transpose2d(cols, _eye_kernel(T, k, self.dtype), None, s, p, op, 1, d)
    if any(extra):
        y = T.constant_pad_nd(y, [0, extra[1], 0, extra[0]], 0)
    out = y.reshape(n, c, o[0], o[1])
    return out if self.dim() == 3 else out.squeeze(0)


# ---- max_unpool (the kernels behind F.max_unpool1d/2d/3d) ----------------------------------------

def _host(t):
    return t.detach().cpu().numpy()


def _max_unpool(T, x, indices, out, nd):
    out = [int(s) for s in out]
    if len(out) != nd:
        names = "two elements (height, width)" if nd == 2 else "three elements (depth, height, width)"
        raise RuntimeError(f"There should be exactly {names} in output_size, but got {len(out)} elements.")
    if indices.dtype != T.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.type()[6:-6]}")
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d Tensor, but got a tensor "
                           f"with {x.dim()} dimensions.")
    if list(indices.shape) != list(x.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(x.shape)}) but "
                           f"got indices tensor with shape: {list(indices.shape)}")
    lead = list(x.shape[:-nd])
    n_out = math.prod(out)
    flat_idx = indices.reshape(lead + [-1])
    idx = _host(flat_idx)
    bad = idx[(idx < 0) | (idx >= n_out)]
    if bad.size:
        raise RuntimeError(f"Found an invalid max index: {bad[0]} (output volumes are of size "
                           f"{'x'.join(str(s) for s in out)}")
    zeros = T.zeros(lead + [n_out], dtype=x.dtype, device=x.device)
    return zeros.scatter(-1, flat_idx, x.reshape(lead + [-1])).reshape(lead + out)


def max_unpool2d(T, self, indices, output_size):
    return _max_unpool(T, self, indices, output_size, 2)


def max_unpool3d(T, self, indices, output_size, stride, padding):
    return _max_unpool(T, self, indices, output_size, 3)
