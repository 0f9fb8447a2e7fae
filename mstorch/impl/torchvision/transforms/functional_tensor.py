"""The tensor half of torchvision.transforms.functional, written with table ops so it runs on MindSpore in the
main process and on the host backend inside forked DataLoader workers.

Sampling positions and weights (resize taps, affine grids) are computed on the host in float32 with the
formulas PyTorch's kernels use; the pixels themselves go through table ops."""
import math

import numpy as np

from mstorch.impl.torch._ns import F as NF, torch
from mstorch.impl.torch.nn.modules.upsampling import interpolate

_MAX = {"uint8": 255, "int8": 127, "int16": 32767, "uint16": 65535, "int32": 2 ** 31 - 1, "int64": 2 ** 63 - 1}


def _is_tensor_a_torch_image(x):
    return x.ndim >= 2


def _assert_image_tensor(img):
    if not _is_tensor_a_torch_image(img):
        raise TypeError("Tensor is not a torch image.")


def _max_value(dtype):
    if dtype.is_floating_point:
        return 1.0
    name = str(dtype).rsplit(".", 1)[-1]
    if name not in _MAX:
        raise NotImplementedError(f"mstorch: no image value range for {dtype}")
    return _MAX[name]


def get_dimensions(img):
    _assert_image_tensor(img)
    channels = 1 if img.ndim == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def get_image_size(img):
    _assert_image_tensor(img)
    return [img.shape[-1], img.shape[-2]]


def get_image_num_channels(img):
    _assert_image_tensor(img)
    if img.ndim == 2:
        return 1
    if img.ndim > 2:
        return img.shape[-3]
    raise TypeError(f"Input ndim should be 2 or more. Got {img.ndim}")


def _assert_channels(img, permitted):
    c = get_dimensions(img)[0]
    if c not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but found {c}")


def _cast_squeeze_in(img, req_dtypes):
    need_squeeze = img.ndim < 4
    if need_squeeze:
        img = img.unsqueeze(dim=0)
    out_dtype = img.dtype
    need_cast = out_dtype not in req_dtypes
    if need_cast:
        img = img.to(req_dtypes[0])
    return img, need_cast, need_squeeze, out_dtype


def _cast_squeeze_out(img, need_cast, need_squeeze, out_dtype):
    if need_squeeze:
        img = img.squeeze(dim=0)
    if need_cast:
        if not out_dtype.is_floating_point:
            img = torch.round(img)
        img = img.to(out_dtype)
    return img


def convert_image_dtype(image, dtype=None):
    dtype = torch.float if dtype is None else dtype
    if image.dtype == dtype:
        return image
    if image.is_floating_point():
        if dtype.is_floating_point:
            return image.to(dtype)
        if (image.dtype == torch.float32 and dtype in (torch.int32, torch.int64)) or (
                image.dtype == torch.float64 and dtype == torch.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {dtype} cannot be performed safely.")
        # 1 - eps keeps 1.0 inside the top bin instead of wrapping to max + 1.
        eps = 1e-3
        return image.mul(float(_max_value(dtype)) + 1.0 - eps).to(dtype)
    input_max = float(_max_value(image.dtype))
    if dtype.is_floating_point:
        return image.to(dtype) / input_max
    output_max = float(_max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return torch.div(image, factor, rounding_mode="floor").to(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return image.to(dtype) * factor


def vflip(img):
    _assert_image_tensor(img)
    return img.flip(-2)


def hflip(img):
    _assert_image_tensor(img)
    return img.flip(-1)


def crop(img, top, left, height, width):
    _assert_image_tensor(img)
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        ltrb = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0), max(right - w, 0), max(bottom - h, 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], ltrb, fill=0)
    return img[..., top:bottom, left:right]


def _blend(img1, img2, ratio):
    ratio = float(ratio)
    bound = _max_value(img1.dtype)
    return (ratio * img1 + (1.0 - ratio) * img2).clamp(0, bound).to(img1.dtype)


def rgb_to_grayscale(img, num_output_channels=1):
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        r, g, b = img.unbind(dim=-3)
        gray = (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)
    else:
        gray = img.clone()
    if num_output_channels == 3:
        return gray.expand(img.shape[:-3] + (3,) + img.shape[-2:])
    return gray


def adjust_brightness(img, brightness_factor):
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    return _blend(img, torch.zeros_like(img), brightness_factor)


def adjust_contrast(img, contrast_factor):
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    _assert_image_tensor(img)
    _assert_channels(img, [3, 1])
    c = get_dimensions(img)[0]
    dtype = img.dtype if img.is_floating_point() else torch.float32
    base = rgb_to_grayscale(img) if c == 3 else img
    mean = torch.mean(base.to(dtype), dim=(-3, -2, -1), keepdim=True)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img, saturation_factor):
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def _rgb2hsv(img):
    r, g, b = img.unbind(dim=-3)
    maxc = torch.max(img, dim=-3).values
    minc = torch.min(img, dim=-3).values
    eqc = maxc == minc
    cr = maxc - minc
    ones = torch.ones_like(maxc)
    s = cr / torch.where(eqc, ones, maxc)
    divisor = torch.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / divisor, (maxc - g) / divisor, (maxc - b) / divisor
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = torch.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return torch.stack((h, s, maxc), dim=-3)


def _hsv2rgb(img):
    h, s, v = img.unbind(dim=-3)
    i = torch.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.to(dtype=torch.int32)
    p = torch.clamp(v * (1.0 - s), 0.0, 1.0)
    q = torch.clamp(v * (1.0 - s * f), 0.0, 1.0)
    t = torch.clamp(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    i = i % 6
    mask = i.unsqueeze(dim=-3) == torch.arange(6).view(-1, 1, 1)
    a1 = torch.stack((v, q, p, p, t, v), dim=-3)
    a2 = torch.stack((t, v, v, q, p, p), dim=-3)
    a3 = torch.stack((p, p, t, v, v, q), dim=-3)
    a4 = torch.stack((a1, a2, a3), dim=-4)
    return torch.einsum("...ijk, ...xijk -> ...xjk", mask.to(dtype=img.dtype), a4)


def adjust_hue(img, hue_factor):
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if not isinstance(img, torch.Tensor):
        raise TypeError("Input img should be Tensor image")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    orig_dtype = img.dtype
    hsv = _rgb2hsv(convert_image_dtype(img, torch.float32))
    h, s, v = hsv.unbind(dim=-3)
    h = (h + hue_factor) % 1.0
    return convert_image_dtype(_hsv2rgb(torch.stack((h, s, v), dim=-3)), orig_dtype)


def adjust_gamma(img, gamma, gain=1):
    if not isinstance(img, torch.Tensor):
        raise TypeError("Input img should be a Tensor.")
    _assert_channels(img, [1, 3])
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    result, dtype = img, img.dtype
    if not img.is_floating_point():
        result = convert_image_dtype(result, torch.float32)
    result = (gain * result ** gamma).clamp(0, 1)
    return convert_image_dtype(result, dtype)


def _blurred_degenerate_image(img):
    dtype = img.dtype if img.is_floating_point() else torch.float32
    k = np.ones((3, 3), dtype=np.float32)
    k[1, 1] = 5.0
    kernel = torch.tensor(k / k.sum(), dtype=dtype).expand(img.shape[-3], 1, 3, 3)
    tmp, need_cast, need_squeeze, out_dtype = _cast_squeeze_in(img, [kernel.dtype])
    tmp = NF.conv2d(tmp, kernel, groups=tmp.shape[-3])
    tmp = _cast_squeeze_out(tmp, need_cast, need_squeeze, out_dtype)
    result = img.clone()
    result[..., 1:-1, 1:-1] = tmp
    return result


def adjust_sharpness(img, sharpness_factor):
    if sharpness_factor < 0:
        raise ValueError(f"sharpness_factor ({sharpness_factor}) is not non-negative.")
    _assert_image_tensor(img)
    _assert_channels(img, [1, 3])
    if img.size(-1) <= 2 or img.size(-2) <= 2:
        return img
    return _blend(img, _blurred_degenerate_image(img), sharpness_factor)


def invert(img):
    _assert_image_tensor(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])
    return torch.tensor(_max_value(img.dtype), dtype=img.dtype) - img


def posterize(img, bits):
    _assert_image_tensor(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    if img.dtype != torch.uint8:
        raise TypeError(f"Only torch.uint8 image tensors are supported, but found {img.dtype}")
    _assert_channels(img, [1, 3])
    mask = -int(2 ** (8 - bits)) & 0xFF  # keeps the high `bits` bits of each uint8 value
    return img & mask


def solarize(img, threshold):
    _assert_image_tensor(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])
    if threshold > _max_value(img.dtype):
        raise TypeError("Threshold should be less than bound of img.")
    return torch.where(img >= threshold, invert(img), img)


def autocontrast(img):
    _assert_image_tensor(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])
    bound = _max_value(img.dtype)
    dtype = img.dtype if img.is_floating_point() else torch.float32
    lo = img.amin(dim=(-2, -1), keepdim=True).to(dtype)
    hi = img.amax(dim=(-2, -1), keepdim=True).to(dtype)
    flat = hi == lo  # constant channels are left as they are (scale 1, offset 0)
    lo = torch.where(flat, torch.zeros_like(lo), lo)
    scale = torch.where(flat, torch.ones_like(hi), bound / torch.where(flat, torch.ones_like(hi), hi - lo))
    return ((img - lo) * scale).clamp(0, bound).to(img.dtype)


def _equalize_channel(chan):
    # Integer histogram arithmetic: NumPy on the uint8 values gives torchvision's exact lookup table.
    hist = np.bincount(chan.reshape(-1), minlength=256).astype(np.int64)
    nonzero = hist[hist != 0]
    step = int(nonzero[:-1].sum()) // 255
    if step == 0:
        return chan
    lut = (np.cumsum(hist) + step // 2) // step
    lut = np.clip(np.concatenate([[0], lut[:-1]]), 0, 255)
    return lut[chan.astype(np.int64)].astype(np.uint8)


def equalize(img):
    _assert_image_tensor(img)
    if not (3 <= img.ndim <= 4):
        raise TypeError(f"Input image tensor should have 3 or 4 dimensions, but found {img.ndim}")
    if img.dtype != torch.uint8:
        raise TypeError(f"Only torch.uint8 image tensors are supported, but found {img.dtype}")
    _assert_channels(img, [1, 3])
    arr = img.contiguous().numpy()
    out = np.empty_like(arr)
    for idx in np.ndindex(*arr.shape[:-2]):
        out[idx] = _equalize_channel(arr[idx])
    return torch.from_numpy(out)


def normalize(tensor, mean, std, inplace=False):
    _assert_image_tensor(tensor)
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                         f"{tensor.size()}")
    if not inplace:
        tensor = tensor.clone()
    dtype = tensor.dtype
    mean = torch.as_tensor(mean, dtype=dtype, device=tensor.device)
    std = torch.as_tensor(std, dtype=dtype, device=tensor.device)
    # Checked on the host: a kernel pair per image for a 3-element test cost more than the normalization.
    if (std.detach().cpu().numpy() == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {dtype}, leading to division by zero.")
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std)


def erase(img, i, j, h, w, v, inplace=False):
    _assert_image_tensor(img)
    if not inplace:
        img = img.clone()
    img[..., i:i + h, j:j + w] = v
    return img


# -- padding --------------------------------------------------------------------------------------------------

def _pad_symmetric(img, padding):
    left, right, top, bottom = padding
    h, w = img.shape[-2], img.shape[-1]

    def axis_index(n, before, after):
        # Negative padding crops; positive padding mirrors including the edge pixel.
        core = list(range(max(-before, 0), n - max(-after, 0)))
        return list(range(before - 1, -1, -1)) + core + [n - 1 - k for k in range(max(after, 0))]

    ys = torch.tensor(axis_index(h, top, bottom), dtype=torch.long)
    xs = torch.tensor(axis_index(w, left, right), dtype=torch.long)
    return img.index_select(img.ndim - 2, ys).index_select(img.ndim - 1, xs)


def pad(img, padding, fill=0, padding_mode="constant"):
    _assert_image_tensor(img)
    if fill is None:
        fill = 0
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (int, float)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, tuple):
        padding = list(padding)
    if isinstance(padding, list) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if isinstance(padding, int):
        left = right = top = bottom = padding
    elif len(padding) == 1:
        left = right = top = bottom = padding[0]
    elif len(padding) == 2:
        left = right = padding[0]
        top = bottom = padding[1]
    else:
        left, top, right, bottom = padding
    p = [left, right, top, bottom]
    if padding_mode == "symmetric":
        return _pad_symmetric(img, p)
    mode = "replicate" if padding_mode == "edge" else padding_mode
    need_squeeze = img.ndim < 4
    if need_squeeze:
        img = img.unsqueeze(dim=0)
    out_dtype = img.dtype
    need_cast = mode != "constant" and out_dtype not in (torch.float32, torch.float64)
    if need_cast:
        img = img.to(torch.float32)
    if mode in ("reflect", "replicate"):
        img = NF.pad(img, p, mode=mode)
    else:
        img = NF.pad(img, p, mode=mode, value=float(fill))
    if need_squeeze:
        img = img.squeeze(dim=0)
    if need_cast:
        img = img.to(out_dtype)
    return img


# -- resize ---------------------------------------------------------------------------------------------------

def _aa_filter(interpolation):
    if interpolation == "bilinear":
        return 1.0, lambda x: np.where(np.abs(x) < 1.0, 1.0 - np.abs(x), 0.0)
    a = -0.5  # PIL's (and PyTorch's antialias path's) cubic coefficient

    def cubic(x):
        x = np.abs(x)
        return np.where(x < 1.0, ((a + 2.0) * x - (a + 3.0)) * x * x + 1,
                        np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0))

    return 2.0, cubic


def _aa_taps(in_size, out_size, interpolation):
    # PyTorch's separable antialias kernel (the PIL algorithm): each output pixel averages the input pixels
    # under a filter stretched by the downscale factor, weights normalised to sum to one.
    half, filt = _aa_filter(interpolation)
    f32 = np.float32
    scale = f32(in_size) / f32(out_size)
    support = f32(half * scale) if scale >= 1.0 else f32(half)
    invscale = f32(1.0 / scale) if scale >= 1.0 else f32(1.0)
    centers = (scale * (np.arange(out_size, dtype=np.float64) + 0.5)).astype(f32)
    xmin = np.maximum((centers - support + 0.5).astype(np.float64).astype(np.int64), 0)
    xmax = np.minimum((centers + support + 0.5).astype(np.float64).astype(np.int64), in_size)
    ntaps = int((xmax - xmin).max())
    idx, weights = [], []
    for k in range(ntaps):
        pos = xmin + k
        arg = ((pos - centers).astype(f32) + 0.5) * invscale
        w = filt(arg.astype(f32)).astype(f32)
        w = np.where(pos < xmax, w, f32(0))
        idx.append(np.minimum(pos, in_size - 1))
        weights.append(w)
    total = np.zeros(out_size, dtype=f32)
    for w in weights:
        total = (total + w).astype(f32)
    safe = np.where(total != 0, total, f32(1))
    return idx, [np.where(total != 0, w / safe, w).astype(f32) for w in weights]


def _resample_axis(x, axis, idx, weights):
    out = None
    shape = [1] * x.ndim
    shape[axis] = -1
    for i, w in zip(idx, weights):
        term = x.index_select(axis, torch.tensor(i, dtype=torch.long)) * torch.tensor(w).to(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def _interpolate_aa(img, size, interpolation):
    x = img
    for axis in (3, 2):  # width first, then height: the order PyTorch's separable kernel runs
        in_size, out_size = x.shape[axis], size[axis - 2]
        if in_size != out_size:
            x = _resample_axis(x, axis, *_aa_taps(in_size, out_size, interpolation))
    return x


def resize(img, size, interpolation="bilinear", antialias=True):
    _assert_image_tensor(img)
    if isinstance(size, tuple):
        size = list(size)
    if antialias is None:
        antialias = False
    if interpolation not in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        raise ValueError("This interpolation mode is unsupported with Tensor input")
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False  # torchvision silently drops antialias for the nearest modes
    img, need_cast, need_squeeze, out_dtype = _cast_squeeze_in(img, [torch.float32, torch.float64])
    if antialias:
        img = _interpolate_aa(img, size, interpolation)
    else:
        align = False if interpolation in ("bilinear", "bicubic") else None
        img = interpolate(img, size=size, mode=interpolation, align_corners=align)
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        img = img.clamp(min=0, max=255)
    return _cast_squeeze_out(img, need_cast, need_squeeze, out_dtype)


# -- geometric transforms through an affine sampling grid ----------------------------------------------------------

def _affine_grid(matrix, w, h, ow, oh):
    # torchvision's grid: output pixel centres in a frame centred on the image, mapped by the inverse affine
    # matrix and normalised to grid_sample's [-1, 1] (align_corners=False) coordinates.
    f32 = np.float32
    theta = np.asarray(matrix, dtype=f32).reshape(2, 3)
    xs = np.linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, ow).astype(f32)
    ys = np.linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, oh).astype(f32)
    rescaled = (theta.T / np.array([0.5 * w, 0.5 * h], dtype=f32)).astype(f32)
    gx = (xs[None, :] * rescaled[0, 0] + ys[:, None] * rescaled[1, 0] + rescaled[2, 0]).astype(f32)
    gy = (xs[None, :] * rescaled[0, 1] + ys[:, None] * rescaled[1, 1] + rescaled[2, 1]).astype(f32)
    # grid_sample's unnormalisation with align_corners=False.
    ix = (((gx + 1) * w - 1) / 2).astype(f32)
    iy = (((gy + 1) * h - 1) / 2).astype(f32)
    return ix, iy


def _gather(flat, h, w, yi, xi, dtype):
    """Pixels at integer positions (yi, xi) from `flat` (N, C, H*W); positions outside read as zero."""
    valid = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    lin = np.where(valid, yi * w + xi, 0).reshape(-1).astype(np.int64)
    vals = flat.index_select(2, torch.tensor(lin, dtype=torch.long))
    return vals * torch.tensor(valid.reshape(-1).astype(np.float32)).to(dtype)


def _grid_sample(img, ix, iy, mode):
    n, c, h, w = img.shape
    oh, ow = ix.shape
    flat = img.reshape(n, c, h * w)
    if mode == "nearest":
        # grid_sample rounds half to even (nearbyint), as np.rint does.
        out = _gather(flat, h, w, np.rint(iy).astype(np.int64), np.rint(ix).astype(np.int64), img.dtype)
        return out.reshape(n, c, oh, ow)
    x0, y0 = np.floor(ix), np.floor(iy)
    fx, fy = (ix - x0).astype(np.float32), (iy - y0).astype(np.float32)
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    out = None
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            wgt = torch.tensor((wy * wx).astype(np.float32).reshape(-1)).to(img.dtype)
            term = _gather(flat, h, w, y0 + dy, x0 + dx, img.dtype) * wgt
            out = term if out is None else out + term
    return out.reshape(n, c, oh, ow)


def _apply_grid_transform(img, ix, iy, mode, fill):
    float_dtypes = [img.dtype] if img.is_floating_point() else [torch.float32]
    img, need_cast, need_squeeze, out_dtype = _cast_squeeze_in(img, float_dtypes)
    if fill is not None:
        mask = torch.ones((img.shape[0], 1, img.shape[2], img.shape[3]), dtype=img.dtype)
        img = torch.cat((img, mask), dim=1)
    img = _grid_sample(img, ix, iy, mode)
    if fill is not None:
        mask = img[:, -1:, :, :]
        img = img[:, :-1, :, :]
        mask = mask.expand_as(img)
        fill_list = list(fill) if isinstance(fill, (tuple, list)) else [float(fill)]
        fill_img = torch.tensor(fill_list, dtype=img.dtype).view(1, len(fill_list), 1, 1).expand_as(img)
        if mode == "nearest":
            img = torch.where(mask < 0.5, fill_img, img)
        else:
            img = img * mask + (1.0 - mask) * fill_img
    return _cast_squeeze_out(img, need_cast, need_squeeze, out_dtype)


def _assert_grid_inputs(img, matrix, interpolation, fill):
    if not isinstance(img, torch.Tensor):
        raise TypeError("Input img should be Tensor")
    _assert_image_tensor(img)
    if matrix is not None and (not isinstance(matrix, list) or len(matrix) != 6):
        raise ValueError("Argument matrix should be a list of 6 floats")
    if fill is not None and not isinstance(fill, (int, float, tuple, list)):
        raise TypeError("Argument fill should be either int, float, tuple or list")
    channels = get_dimensions(img)[0]
    if isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != channels:
        raise ValueError("The number of elements in 'fill' cannot broadcast to match the number of channels of the "
                         f"image ({len(fill)} != {channels})")
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")


def _batched(img, fn):
    # The grid helpers take (N, C, H, W); extra leading dimensions are folded into N.
    if img.ndim <= 4:
        return fn(img)
    lead = img.shape[:-3]
    out = fn(img.reshape((-1,) + tuple(img.shape[-3:])))
    return out.reshape(tuple(lead) + tuple(out.shape[-3:]))


def affine(img, matrix, interpolation="nearest", fill=None):
    _assert_grid_inputs(img, matrix, interpolation, fill)
    h, w = img.shape[-2], img.shape[-1]
    ix, iy = _affine_grid(matrix, w, h, w, h)
    return _batched(img, lambda x: _apply_grid_transform(x, ix, iy, interpolation, fill))


def _compute_affine_output_size(matrix, w, h):
    pts = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                    [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]], dtype=np.float32)
    theta = np.asarray(matrix, dtype=np.float32).reshape(2, 3)
    new_pts = (pts @ theta.T).astype(np.float32)
    tol = np.float32(1e-4)
    # Truncating at 1e-4 keeps float noise from adding a whole pixel to the expanded size.
    cmax = np.ceil(np.trunc(new_pts.max(axis=0) / tol) * tol)
    cmin = np.floor(np.trunc(new_pts.min(axis=0) / tol) * tol)
    size = cmax - cmin
    return int(size[0]), int(size[1])


def rotate(img, matrix, interpolation="nearest", expand=False, fill=None):
    _assert_grid_inputs(img, matrix, interpolation, fill)
    w, h = img.shape[-1], img.shape[-2]
    ow, oh = _compute_affine_output_size(matrix, w, h) if expand else (w, h)
    ix, iy = _affine_grid(matrix, w, h, ow, oh)
    return _batched(img, lambda x: _apply_grid_transform(x, ix, iy, interpolation, fill))


# -- blur -----------------------------------------------------------------------------------------------------------

def _gaussian_kernel1d(kernel_size, sigma, dtype):
    half = (kernel_size - 1) * 0.5
    x = torch.linspace(-half, half, steps=kernel_size, dtype=dtype)
    pdf = torch.exp(-0.5 * (x / sigma).pow(2))
    return pdf / pdf.sum()


def gaussian_blur(img, kernel_size, sigma):
    if not isinstance(img, torch.Tensor):
        raise TypeError(f"img should be Tensor. Got {type(img)}")
    _assert_image_tensor(img)
    dtype = img.dtype if img.is_floating_point() else torch.float32
    kx = _gaussian_kernel1d(kernel_size[0], sigma[0], dtype)
    ky = _gaussian_kernel1d(kernel_size[1], sigma[1], dtype)
    kernel = torch.mm(ky[:, None], kx[None, :])
    kernel = kernel.expand(img.shape[-3], 1, kernel.shape[0], kernel.shape[1])

    def blur(x):
        x, need_cast, need_squeeze, out_dtype = _cast_squeeze_in(x, [kernel.dtype])
        padding = [kernel_size[0] // 2, kernel_size[0] // 2, kernel_size[1] // 2, kernel_size[1] // 2]
        x = NF.pad(x, padding, mode="reflect")
        x = NF.conv2d(x, kernel, groups=x.shape[-3])
        return _cast_squeeze_out(x, need_cast, need_squeeze, out_dtype)

    return _batched(img, blur)
