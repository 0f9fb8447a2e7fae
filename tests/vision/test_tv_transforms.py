"""torchvision.transforms (v1) as mstorch serves it.

PIL inputs: compared with PIL itself (exact uint8). Tensor inputs: compared with the same computation in real torch
(real torchvision does not install beside the torch oracle). Random transforms: seeded runs are compared with
torchvision's draw order replayed on real torch's generator."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from PIL import Image, ImageEnhance, ImageOps

import mstorch

T = mstorch.torch
tr = mstorch.torchvision.transforms
F = tr.functional
IM = tr.InterpolationMode

RNG = np.random.RandomState(0)
ARR = RNG.randint(0, 256, (23, 31, 3), dtype=np.uint8)
IMG = Image.fromarray(ARR)
GRAY = Image.fromarray(ARR[:, :, 0])


def chw(arr, float_=False):
    t = T.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))
    return t.float() if float_ else t


def ref_chw(arr):
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def same_pil(a, b):
    assert a.mode == b.mode and a.size == b.size
    assert np.array_equal(np.asarray(a), np.asarray(b))


# -- conversions ---------------------------------------------------------------------------------------------

def test_to_tensor_and_pil_to_tensor():
    t = tr.ToTensor()(IMG)
    assert t.dtype == T.float32 and tuple(t.shape) == (3, 23, 31)
    np.testing.assert_array_equal(t.numpy(), ref_chw(ARR).float().div(255).numpy())
    g = tr.ToTensor()(GRAY)
    assert tuple(g.shape) == (1, 23, 31)
    p = tr.PILToTensor()(IMG)
    assert p.dtype == T.uint8
    np.testing.assert_array_equal(p.numpy(), ARR.transpose(2, 0, 1))
    nd = tr.ToTensor()(ARR[:, :, :2].astype(np.float32))
    assert nd.dtype == T.float32 and tuple(nd.shape) == (2, 23, 31)
    with pytest.raises(TypeError):
        tr.ToTensor()([1, 2])


def test_to_pil_image_roundtrip_and_modes():
    same_pil(tr.ToPILImage()(chw(ARR)), IMG)
    same_pil(tr.ToPILImage()(tr.ToTensor()(IMG)), IMG)
    assert tr.ToPILImage()(chw(ARR[:, :, :1])).mode == "L"
    assert tr.ToPILImage()(np.zeros((4, 4, 4), np.uint8)).mode == "RGBA"
    assert tr.ToPILImage()(np.zeros((4, 4, 2), np.uint8)).mode == "LA"
    assert tr.ToPILImage()(np.zeros((4, 4), np.float32)).mode == "F"
    with pytest.raises(ValueError):
        tr.ToPILImage(mode="RGBA")(chw(ARR))
    with pytest.raises(TypeError):
        tr.ToPILImage()("x")


@pytest.mark.parametrize("src,dst", [("uint8", "float32"), ("float32", "uint8"), ("uint8", "int32"),
                                     ("int32", "uint8"), ("float64", "int16")])
def test_convert_image_dtype(src, dst):
    x = RNG.rand(2, 3, 4) if src.startswith("float") else RNG.randint(0, 200, (2, 3, 4))
    x = x.astype(src)
    out = tr.ConvertImageDtype(getattr(T, dst))(T.from_numpy(x))
    imax = {"uint8": 255, "int32": 2 ** 31 - 1, "int16": 32767}
    if src.startswith("float"):
        ref = (x * (imax[dst] + 1.0 - 1e-3)).astype(dst)
    elif dst.startswith("float"):
        ref = (x.astype(dst) / imax[src]).astype(dst)
    elif imax[src] > imax[dst]:
        ref = (x // ((imax[src] + 1) // (imax[dst] + 1))).astype(dst)
    else:
        ref = x.astype(dst) * ((imax[dst] + 1) // (imax[src] + 1))
    assert str(out.dtype) == f"torch.{dst}"
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6)
    with pytest.raises(RuntimeError):
        F.convert_image_dtype(T.zeros(3, 2, 2), T.int64)


def test_normalize_matches_torch_and_inplace():
    x = RNG.rand(3, 5, 6).astype(np.float32)
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    ref = (torch.from_numpy(x) - torch.tensor(mean).view(-1, 1, 1)) / torch.tensor(std).view(-1, 1, 1)
    t = T.from_numpy(x.copy())
    out = tr.Normalize(mean, std)(t)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())
    np.testing.assert_array_equal(t.numpy(), x)  # not in place by default
    out2 = tr.Normalize(mean, std, inplace=True)(t)
    np.testing.assert_array_equal(t.numpy(), ref.numpy())
    assert out2.data_ptr() == t.data_ptr()
    with pytest.raises(TypeError):
        F.normalize(T.zeros(3, 2, 2, dtype=T.uint8), mean, std)
    with pytest.raises(ValueError):
        F.normalize(T.zeros(3, 2, 2), mean, [1.0, 0.0, 1.0])


# -- resize ----------------------------------------------------------------------------------------------------

PIL_MODES = [IM.NEAREST, IM.BILINEAR, IM.BICUBIC, IM.BOX, IM.HAMMING, IM.LANCZOS]
PIL_CONST = {IM.NEAREST: Image.NEAREST, IM.BILINEAR: Image.BILINEAR, IM.BICUBIC: Image.BICUBIC,
             IM.BOX: Image.BOX, IM.HAMMING: Image.HAMMING, IM.LANCZOS: Image.LANCZOS}


@pytest.mark.parametrize("mode", PIL_MODES)
@pytest.mark.parametrize("size", [11, (40, 17), [9]])
def test_resize_pil_is_pil(mode, size):
    out = tr.Resize(size, interpolation=mode)(IMG)
    if isinstance(size, int) or len(size) == 1:
        s = size if isinstance(size, int) else size[0]
        wh = (int(s * 31 / 23), s)  # the short side (height) becomes s, the long side keeps the aspect ratio
    else:
        wh = (size[1], size[0])
    same_pil(out, IMG.resize(wh, PIL_CONST[mode]))


def test_resize_max_size_and_noop():
    out = tr.Resize(10, max_size=12)(IMG)
    assert out.size == (12, int(12 * 10 / 13))
    assert tr.Resize([23, 31])(IMG) is IMG
    with pytest.raises(ValueError):
        tr.Resize(10, max_size=10)(IMG)
    with pytest.raises(ValueError):
        F.resize(IMG, [10, 10], max_size=20)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("size", [(9, 13), (40, 50), (23, 12)])
def test_resize_tensor_matches_interpolate(mode, antialias, size):
    out = F.resize(chw(ARR, True), list(size), interpolation=IM(mode), antialias=antialias)
    ref = TF.interpolate(ref_chw(ARR).float()[None], size=size, mode=mode, align_corners=False,
                         antialias=antialias)[0]
    np.testing.assert_allclose(out.numpy(), ref.numpy(), atol=2e-3, rtol=1e-5)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest"])
def test_resize_tensor_uint8_rounds_like_torchvision(mode):
    out = F.resize(chw(ARR), [12, 17], interpolation=IM(mode))
    aa = mode != "nearest"
    ref = TF.interpolate(ref_chw(ARR).float()[None], size=(12, 17), mode=mode,
                         align_corners=False if aa else None, antialias=aa)[0]
    if mode == "bicubic":
        ref = ref.clamp(0, 255)
    ref = ref.round().to(torch.uint8) if mode != "nearest" else ref.to(torch.uint8)
    assert out.dtype == T.uint8
    assert np.abs(out.numpy().astype(int) - ref.numpy().astype(int)).max() <= 1


def test_resize_tensor_batched_and_unsupported_mode():
    x = T.from_numpy(RNG.rand(2, 3, 10, 12).astype(np.float32))
    assert tuple(F.resize(x, [5, 6]).shape) == (2, 3, 5, 6)
    with pytest.raises(ValueError):
        F.resize(x, [5, 6], interpolation=IM.LANCZOS)


# -- crops, flips, pads ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(10, 10), (30, 40), 7])
def test_center_crop_pil_and_tensor(size):
    out = tr.CenterCrop(size)(IMG)
    th, tw = (size, size) if isinstance(size, int) else size
    assert out.size == (tw, th)
    np.testing.assert_array_equal(tr.CenterCrop(size)(chw(ARR)).numpy(), np.asarray(out).transpose(2, 0, 1))


@pytest.mark.parametrize("padding", [2, (1, 3), (1, 2, 3, 4)])
@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_pil_and_tensor_agree_with_numpy(padding, mode):
    out = tr.Pad(padding, fill=7, padding_mode=mode)(IMG)
    l, t, r, b = ([padding] * 4 if isinstance(padding, int) else
                  [padding[0], padding[1]] * 2 if len(padding) == 2 else list(padding))
    kw = {"constant_values": 7} if mode == "constant" else {}
    ref = np.pad(ARR, ((t, b), (l, r), (0, 0)), mode=mode, **kw)
    np.testing.assert_array_equal(np.asarray(out), ref)
    tout = tr.Pad(padding, fill=7, padding_mode=mode)(chw(ARR))
    np.testing.assert_array_equal(tout.numpy(), ref.transpose(2, 0, 1))


def test_flips():
    same_pil(tr.RandomHorizontalFlip(p=1)(IMG), IMG.transpose(Image.FLIP_LEFT_RIGHT))
    same_pil(tr.RandomVerticalFlip(p=1)(IMG), IMG.transpose(Image.FLIP_TOP_BOTTOM))
    np.testing.assert_array_equal(F.hflip(chw(ARR)).numpy(), ARR[:, ::-1].transpose(2, 0, 1))
    np.testing.assert_array_equal(F.vflip(chw(ARR)).numpy(), ARR[::-1].transpose(2, 0, 1))


def test_five_and_ten_crop():
    crops = tr.FiveCrop(8)(IMG)
    assert len(crops) == 5
    same_pil(crops[0], IMG.crop((0, 0, 8, 8)))
    same_pil(crops[3], IMG.crop((23, 15, 31, 23)))
    ten = tr.TenCrop((8, 6))(chw(ARR))
    assert len(ten) == 10
    np.testing.assert_array_equal(ten[5].numpy(), ARR[:8, ::-1][:, :6].transpose(2, 0, 1))
    with pytest.raises(ValueError):
        tr.FiveCrop(40)(IMG)


# -- seeded random transforms: torchvision's draw order replayed on real torch -----------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 7, 123])
def test_random_crop_draws_like_torchvision(seed):
    T.manual_seed(seed)
    out = tr.RandomCrop((10, 12), padding=3, padding_mode="reflect")(IMG)
    torch.manual_seed(seed)
    padded = np.pad(ARR, ((3, 3), (3, 3), (0, 0)), mode="reflect")
    i = torch.randint(0, padded.shape[0] - 10 + 1, size=(1,)).item()
    j = torch.randint(0, padded.shape[1] - 12 + 1, size=(1,)).item()
    np.testing.assert_array_equal(np.asarray(out), padded[i:i + 10, j:j + 12])
    assert T.rand(1).item() == torch.rand(1).item()  # the stream advanced by the same amount


def test_random_crop_pad_if_needed_and_errors():
    out = tr.RandomCrop((30, 40), pad_if_needed=True, fill=5)(IMG)
    assert out.size == (40, 30)
    with pytest.raises(ValueError):
        tr.RandomCrop(40)(IMG)


def _rrc_params(h, w, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)):
    area = h * w
    log_ratio = torch.log(torch.tensor(ratio))
    for _ in range(10):
        target_area = area * torch.empty(1).uniform_(scale[0], scale[1]).item()
        ar = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
        cw, ch = int(round(math.sqrt(target_area * ar))), int(round(math.sqrt(target_area / ar)))
        if 0 < cw <= w and 0 < ch <= h:
            return (torch.randint(0, h - ch + 1, size=(1,)).item(), torch.randint(0, w - cw + 1, size=(1,)).item(),
                    ch, cw)
    raise AssertionError("fallback not expected for these seeds")


@pytest.mark.parametrize("seed", [0, 3, 11, 2024])
def test_random_resized_crop_draws_like_torchvision(seed):
    T.manual_seed(seed)
    out = tr.RandomResizedCrop(16, interpolation=IM.BICUBIC)(IMG)
    torch.manual_seed(seed)
    i, j, h, w = _rrc_params(23, 31)
    same_pil(out, IMG.crop((j, i, j + w, i + h)).resize((16, 16), Image.BICUBIC))


@pytest.mark.parametrize("seed", range(6))
def test_random_flip_and_grayscale_draws(seed):
    T.manual_seed(seed)
    out = tr.Compose([tr.RandomHorizontalFlip(), tr.RandomGrayscale(p=0.5)])(IMG)
    torch.manual_seed(seed)
    ref = IMG.transpose(Image.FLIP_LEFT_RIGHT) if torch.rand(1) < 0.5 else IMG
    if torch.rand(1) < 0.5:
        g = np.asarray(ref.convert("L"))
        ref = Image.fromarray(np.dstack([g, g, g]), "RGB")
    same_pil(out, ref)


@pytest.mark.parametrize("seed", [0, 5, 9])
def test_color_jitter_draws_like_torchvision(seed):
    T.manual_seed(seed)
    out = tr.ColorJitter(0.4, 0.4, 0.4, 0.1)(IMG)
    torch.manual_seed(seed)
    order = torch.randperm(4).tolist()
    factors = [torch.empty(1).uniform_(lo, hi).item() for lo, hi in ((0.6, 1.4),) * 3 + ((-0.1, 0.1),)]
    ref = IMG
    for k in order:
        if k < 3:
            ref = (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color)[k](ref).enhance(factors[k])
        else:
            h, s, v = ref.convert("HSV").split()
            hue = np.array(h, dtype=np.uint8)
            hue += np.int32(factors[3] * 255).astype(np.uint8)
            ref = Image.merge("HSV", (Image.fromarray(hue, "L"), s, v)).convert("RGB")
    same_pil(out, ref)


@pytest.mark.parametrize("seed", [0, 4])
def test_random_rotation_and_affine_pil(seed):
    T.manual_seed(seed)
    out = tr.RandomRotation(30, interpolation=IM.BILINEAR, fill=9)(IMG)
    torch.manual_seed(seed)
    angle = torch.empty(1).uniform_(-30.0, 30.0).item()
    same_pil(out, IMG.rotate(angle, Image.BILINEAR, False, None, fillcolor=(9, 9, 9)))
    T.manual_seed(seed)
    out = tr.RandomAffine(0, translate=(0.2, 0.2))(IMG)
    torch.manual_seed(seed)
    torch.empty(1).uniform_(0.0, 0.0)
    tx = int(round(torch.empty(1).uniform_(-0.2 * 31, 0.2 * 31).item()))
    ty = int(round(torch.empty(1).uniform_(-0.2 * 23, 0.2 * 23).item()))
    same_pil(out, IMG.transform(IMG.size, Image.AFFINE, [1, 0, -tx, 0, 1, -ty], Image.NEAREST,
                                fillcolor=(0, 0, 0)))


def test_random_erasing_draws_like_torchvision():
    x = RNG.rand(3, 20, 24).astype(np.float32)
    T.manual_seed(3)
    out = tr.RandomErasing(p=1.0, value="random")(T.from_numpy(x.copy()))
    torch.manual_seed(3)
    torch.rand(1)
    log_ratio = torch.log(torch.tensor((0.3, 3.3)))
    while True:
        ea = 480 * torch.empty(1).uniform_(0.02, 0.33).item()
        ar = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
        h, w = int(round(math.sqrt(ea * ar))), int(round(math.sqrt(ea / ar)))
        if h < 20 and w < 24:
            break
    v = torch.empty([3, h, w], dtype=torch.float32).normal_()
    i, j = torch.randint(0, 20 - h + 1, size=(1,)).item(), torch.randint(0, 24 - w + 1, size=(1,)).item()
    ref = x.copy()
    ref[:, i:i + h, j:j + w] = v.numpy()
    np.testing.assert_array_equal(out.numpy(), ref)


def test_seeded_runs_are_deterministic():
    pipe = tr.Compose([tr.RandomResizedCrop(12), tr.RandomHorizontalFlip(), tr.ColorJitter(0.3, 0.3, 0.3, 0.05),
                       tr.RandomRotation(10), tr.ToTensor(), tr.RandomErasing()])
    runs = []
    for _ in range(2):
        T.manual_seed(42)
        runs.append([pipe(IMG).numpy() for _ in range(3)])
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_random_apply_choice_order():
    T.manual_seed(0)
    torch.manual_seed(0)
    applied = tr.RandomApply([tr.Lambda(lambda im: im.transpose(Image.FLIP_LEFT_RIGHT))], p=0.5)(IMG)
    ref = IMG if 0.5 < torch.rand(1).item() else IMG.transpose(Image.FLIP_LEFT_RIGHT)
    same_pil(applied, ref)
    import random
    random.seed(1)
    out = tr.RandomChoice([tr.Lambda(lambda x: x + 1), tr.Lambda(lambda x: x * 10)], p=[0.3, 0.7])(2)
    random.seed(1)
    assert out == [3, 20][random.choices([0, 1], weights=[0.3, 0.7])[0]]
    assert tr.RandomOrder([tr.Lambda(lambda x: x + 1)])(1) == 2
    with pytest.raises(TypeError):
        tr.Lambda(3)


# -- colour and blur ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fn,enh", [(F.adjust_brightness, ImageEnhance.Brightness),
                                    (F.adjust_contrast, ImageEnhance.Contrast),
                                    (F.adjust_saturation, ImageEnhance.Color),
                                    (F.adjust_sharpness, ImageEnhance.Sharpness)])
def test_color_adjust_pil_exact(fn, enh):
    same_pil(fn(IMG, 1.7), enh(IMG).enhance(1.7))


def _blend_ref(a, b, r, bound):
    return (r * a + (1.0 - r) * b).clamp(0, bound)


@pytest.mark.parametrize("factor", [0.3, 1.6])
def test_color_adjust_tensor_float_matches_torch(factor):
    x = torch.from_numpy(RNG.rand(3, 9, 11).astype(np.float32))
    mx = T.from_numpy(x.numpy().copy())
    gray = (0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2]).unsqueeze(0)
    np.testing.assert_allclose(F.adjust_brightness(mx, factor).numpy(),
                               _blend_ref(x, torch.zeros_like(x), factor, 1.0).numpy(), atol=1e-6)
    np.testing.assert_allclose(F.adjust_saturation(mx, factor).numpy(), _blend_ref(x, gray, factor, 1.0).numpy(),
                               atol=1e-6)
    np.testing.assert_allclose(F.adjust_contrast(mx, factor).numpy(),
                               _blend_ref(x, gray.mean(), factor, 1.0).numpy(), atol=1e-6)
    np.testing.assert_allclose(F.rgb_to_grayscale(mx).numpy(), gray.numpy(), atol=1e-6)
    np.testing.assert_allclose(F.adjust_gamma(mx, factor).numpy(), (x ** factor).clamp(0, 1).numpy(), atol=1e-6)


def test_adjust_hue_tensor_roundtrip_and_pil():
    x = T.from_numpy(RNG.rand(3, 6, 7).astype(np.float32))
    np.testing.assert_allclose(F.adjust_hue(x, 0.0).numpy(), x.numpy(), atol=1e-5)
    y = F.adjust_hue(F.adjust_hue(x, 0.2), -0.2)
    np.testing.assert_allclose(y.numpy(), x.numpy(), atol=1e-4)
    assert F.adjust_hue(GRAY, 0.3) is GRAY
    with pytest.raises(ValueError):
        F.adjust_hue(x, 0.7)


def test_uint8_point_ops_tensor_vs_pil():
    t = chw(ARR)
    np.testing.assert_array_equal(F.invert(t).numpy(), np.asarray(ImageOps.invert(IMG)).transpose(2, 0, 1))
    np.testing.assert_array_equal(F.posterize(t, 3).numpy(), np.asarray(ImageOps.posterize(IMG, 3)).transpose(2, 0, 1))
    np.testing.assert_array_equal(F.solarize(t, 100).numpy(),
                                  np.asarray(ImageOps.solarize(IMG, 100)).transpose(2, 0, 1))
    low = Image.fromarray((ARR // 3 + 40).astype(np.uint8))
    np.testing.assert_array_equal(F.equalize(chw(np.asarray(low))).numpy(),
                                  np.asarray(ImageOps.equalize(low)).transpose(2, 0, 1))
    ac = F.autocontrast(chw(np.asarray(low))).numpy().astype(int)
    assert np.abs(ac - np.asarray(ImageOps.autocontrast(low)).transpose(2, 0, 1).astype(int)).max() <= 1


def _torch_blur(x, k, sigma):
    half = (k - 1) * 0.5
    g = torch.exp(-0.5 * (torch.linspace(-half, half, k) / sigma) ** 2)
    g = g / g.sum()
    kern = torch.mm(g[:, None], g[None, :]).expand(x.shape[-3], 1, k, k)
    xp = TF.pad(x[None], [k // 2] * 4, mode="reflect")
    return TF.conv2d(xp, kern, groups=x.shape[-3])[0]


def test_gaussian_blur_tensor_and_pil():
    x = torch.from_numpy(RNG.rand(3, 12, 14).astype(np.float32))
    out = F.gaussian_blur(T.from_numpy(x.numpy().copy()), 5, 1.3)
    np.testing.assert_allclose(out.numpy(), _torch_blur(x, 5, 1.3).numpy(), atol=1e-5)
    pil = F.gaussian_blur(IMG, 3, 0.8)
    ref = _torch_blur(ref_chw(ARR).float(), 3, 0.8).round().to(torch.uint8).permute(1, 2, 0).numpy()
    assert np.abs(np.asarray(pil).astype(int) - ref.astype(int)).max() <= 1
    with pytest.raises(ValueError):
        tr.GaussianBlur(4)


# -- geometry on tensors: torchvision's affine grid + grid_sample, computed with real torch ----------------------------------

def _torch_grid_transform(img, matrix, mode, fill, ow=None, oh=None):
    n, c, h, w = img.shape
    ow, oh = ow or w, oh or h
    theta = torch.tensor(matrix, dtype=torch.float32).reshape(1, 2, 3)
    base = torch.empty(1, oh, ow, 3)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, steps=oh).unsqueeze_(-1))
    base[..., 2].fill_(1)
    grid = base.view(1, oh * ow, 3).bmm(theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h])).view(1, oh, ow, 2)
    x = torch.cat((img, torch.ones(n, 1, h, w)), dim=1)
    x = TF.grid_sample(x, grid, mode=mode, padding_mode="zeros", align_corners=False)
    mask, x = x[:, -1:].expand(n, c, oh, ow), x[:, :-1]
    fill_img = torch.tensor(fill, dtype=x.dtype).view(1, -1, 1, 1).expand_as(x)
    if mode == "nearest":
        return torch.where(mask < 0.5, fill_img, x)
    return x * mask + (1.0 - mask) * fill_img


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("angle", [17.0, -90.0, 33.3])
def test_rotate_tensor_matches_torch_grid_sample(mode, angle):
    x = torch.from_numpy(RNG.rand(3, 13, 16).astype(np.float32))
    out = F.rotate(T.from_numpy(x.numpy().copy()), angle, interpolation=IM(mode), fill=[0.5, 0.25, 1.0])
    matrix = F._get_inverse_affine_matrix([0.0, 0.0], -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    ref = _torch_grid_transform(x[None], matrix, mode, [0.5, 0.25, 1.0])[0]
    diff = np.abs(out.numpy() - ref.numpy())
    if mode == "nearest":  # a sample exactly between two pixels may round either way after float noise
        assert (diff > 1e-6).mean() < 0.02
    else:
        assert diff.max() < 1e-4


def test_affine_tensor_matches_torch_and_expand_size():
    x = torch.from_numpy(RNG.rand(3, 12, 15).astype(np.float32))
    out = F.affine(T.from_numpy(x.numpy().copy()), 10.0, [2, -1], 1.1, [5.0, 3.0], interpolation=IM.BILINEAR,
                   fill=[0.0, 0.0, 0.0])
    matrix = F._get_inverse_affine_matrix([0.0, 0.0], 10.0, [2.0, -1.0], 1.1, [5.0, 3.0])
    ref = _torch_grid_transform(x[None], matrix, "bilinear", [0.0, 0.0, 0.0])[0]
    assert np.abs(out.numpy() - ref.numpy()).max() < 1e-4
    # torchvision sizes the expanded canvas from the centred corners (ceil/floor of +-w/2), so even sizes swap exactly.
    even = np.ascontiguousarray(ARR[:22, :30])
    rot = F.rotate(chw(even), 90.0, expand=True)
    assert tuple(rot.shape) == (3, 30, 22)
    np.testing.assert_array_equal(rot.numpy(), np.rot90(even).transpose(2, 0, 1))
    same_pil(F.rotate(IMG, 90.0, expand=True), IMG.rotate(90.0, Image.NEAREST, True, None, fillcolor=(0, 0, 0)))


# -- auto-augment ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [tr.AutoAugment, tr.RandAugment, tr.TrivialAugmentWide])
def test_autoaugment_family_runs_and_is_seeded(cls):
    aug = cls()
    outs = []
    for _ in range(2):
        T.manual_seed(5)
        outs.append([np.asarray(aug(IMG)) for _ in range(4)] + [aug(chw(ARR)).numpy() for _ in range(2)])
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)


def test_autoaugment_policy_draw_order():
    T.manual_seed(8)
    out = tr.AutoAugment(tr.AutoAugmentPolicy.CIFAR10)(IMG)
    torch.manual_seed(8)
    pid = int(torch.randint(25, (1,)).item())
    probs, signs = torch.rand((2,)), torch.randint(2, (2,))
    assert T.rand(1).item() == torch.rand(1).item()
    assert pid in range(25) and out.size == IMG.size and probs.shape == signs.shape


def test_reprs():
    assert repr(tr.Compose([tr.ToTensor(), tr.Normalize([0.5], [0.5])])) == (
        "Compose(\n    ToTensor()\n    Normalize(mean=[0.5], std=[0.5])\n)")
    assert repr(tr.Resize(3, interpolation=IM.BICUBIC)) == (
        "Resize(size=3, interpolation=bicubic, max_size=None, antialias=True)")
