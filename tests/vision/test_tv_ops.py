"""torchvision.ops: NMS and box geometry against references built from real torch ops,
roi_align against a NumPy transcription of torchvision's CPU kernel (aligned, sampling
ratio fixed and adaptive), gradients included."""
import math
import signal

import numpy as np
import pytest
import torch as real

import mstorch

T = mstorch.torch
ops = mstorch.torchvision.ops


@pytest.fixture(autouse=True)
def _time_limit():
    def fire(*_):
        raise TimeoutError("ops test exceeded its time limit")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _boxes(rng, n, size=50.0, dtype=np.float32):
    xy = rng.uniform(0, size, (n, 2))
    wh = rng.uniform(1, size / 2, (n, 2))
    return np.concatenate([xy, xy + wh], 1).astype(dtype)


def _ref_iou(a, b):
    a, b = real.from_numpy(a), real.from_numpy(b)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lt = real.max(a[:, None, :2], b[:, :2])
    rb = real.min(a[:, None, 2:], b[:, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b - inter)


def _ref_nms(boxes, scores, thr):
    order = real.sort(real.from_numpy(scores), descending=True, stable=True).indices
    iou = _ref_iou(boxes, boxes)
    removed = real.zeros(len(boxes), dtype=real.bool)
    keep = []
    for i in order.tolist():
        if removed[i]:
            continue
        keep.append(i)
        removed |= iou[i] > thr
    return keep


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("thr", [0.3, 0.5, 0.7])
def test_nms_matches_reference(seed, thr):
    rng = np.random.default_rng(seed)
    boxes = _boxes(rng, 60)
    scores = rng.random(60).astype(np.float32)
    if seed == 0:
        scores[::3] = 0.5  # ties keep their input order (stable sort), as torchvision's kernel does
    keep = ops.nms(T.tensor(boxes), T.tensor(scores), thr)
    assert keep.dtype == T.int64
    assert keep.tolist() == _ref_nms(boxes, scores, thr)


def test_nms_float64_and_empty():
    rng = np.random.default_rng(9)
    boxes = _boxes(rng, 20, dtype=np.float64)
    scores = rng.random(20)
    assert ops.nms(T.tensor(boxes), T.tensor(scores), 0.4).tolist() == _ref_nms(boxes, scores, 0.4)
    empty = ops.nms(T.zeros(0, 4), T.zeros(0), 0.5)
    assert tuple(empty.shape) == (0,) and empty.dtype == T.int64
    with pytest.raises(RuntimeError):
        ops.nms(T.zeros(3, 5), T.zeros(3), 0.5)


def _ref_batched_nms(boxes, scores, idxs, thr):
    keep = []
    for c in np.unique(idxs):
        sel = np.nonzero(idxs == c)[0]
        keep += [int(sel[k]) for k in _ref_nms(boxes[sel], scores[sel], thr)]
    return sorted(keep, key=lambda i: -scores[i])


@pytest.mark.parametrize("n", [40, 1200])  # below and above torchvision's 4000-coordinate switch
def test_batched_nms_matches_per_class_reference(n):
    rng = np.random.default_rng(n)
    boxes = _boxes(rng, n)
    scores = rng.permutation(n).astype(np.float32) / n  # distinct scores: order is unambiguous
    idxs = rng.integers(0, 4, n)
    keep = ops.batched_nms(T.tensor(boxes), T.tensor(scores), T.tensor(idxs), 0.5)
    assert keep.tolist() == _ref_batched_nms(boxes, scores, idxs, 0.5)
    assert ops.batched_nms(T.zeros(0, 4), T.zeros(0), T.zeros(0, dtype=T.int64), 0.5).numel() == 0


def test_box_iou_area_and_gradient():
    rng = np.random.default_rng(1)
    a, b = _boxes(rng, 7), _boxes(rng, 5)
    ta = T.tensor(a, requires_grad=True)
    iou = ops.box_iou(ta, T.tensor(b))
    np.testing.assert_allclose(iou.detach().numpy(), _ref_iou(a, b).numpy(), rtol=1e-6, atol=1e-7)
    iou.sum().backward()
    ra = real.tensor(a, requires_grad=True)
    rb = real.from_numpy(b)
    area_a = (ra[:, 2] - ra[:, 0]) * (ra[:, 3] - ra[:, 1])
    area_b = (rb[:, 2] - rb[:, 0]) * (rb[:, 3] - rb[:, 1])
    wh = (real.min(ra[:, None, 2:], rb[:, 2:]) - real.max(ra[:, None, :2], rb[:, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    (inter / (area_a[:, None] + area_b - inter)).sum().backward()
    np.testing.assert_allclose(ta.grad.numpy(), ra.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.box_area(T.tensor(a)).numpy(), (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]))
    ints = ops.box_iou(T.tensor([[0, 0, 2, 2]]), T.tensor([[1, 1, 3, 3]]))
    assert ints.dtype == T.float32 and abs(ints.item() - 1 / 7) < 1e-7


def test_box_convert_clip_remove_small_and_giou():
    rng = np.random.default_rng(2)
    xyxy = _boxes(rng, 6)
    t = T.tensor(xyxy)
    xywh = ops.box_convert(t, "xyxy", "xywh")
    np.testing.assert_allclose(xywh.numpy()[:, 2:], xyxy[:, 2:] - xyxy[:, :2], rtol=1e-6)
    cxcywh = ops.box_convert(xywh, "xywh", "cxcywh")
    np.testing.assert_allclose(cxcywh.numpy()[:, :2], (xyxy[:, :2] + xyxy[:, 2:]) / 2, rtol=1e-6)
    np.testing.assert_allclose(ops.box_convert(cxcywh, "cxcywh", "xyxy").numpy(), xyxy, rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError):
        ops.box_convert(t, "xyxy", "yxyx")
    clipped = ops.clip_boxes_to_image(T.tensor([[-5.0, 3.0, 70.0, 40.0]]), (30, 60))
    assert clipped.tolist() == [[0.0, 3.0, 60.0, 30.0]]
    keep = ops.remove_small_boxes(T.tensor([[0.0, 0, 1, 1], [0, 0, 5, 5], [0, 0, 5, 0.5]]), 1.0)
    assert keep.tolist() == [0, 1]
    giou = ops.generalized_box_iou(T.tensor([[0.0, 0, 1, 1]]), T.tensor([[2.0, 0, 3, 1]]))
    assert abs(giou.item() - (0 - (3 - 2) / 3)) < 1e-6


# --- roi_align ----------------------------------------------------------------------------------------

def _bilinear(img, y, x):
    h, w = img.shape[-2:]
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return 0.0
    y, x = max(y, 0.0), max(x, 0.0)
    yl, xl = int(y), int(x)
    if yl >= h - 1:
        yh = yl = h - 1
        y = float(yl)
    else:
        yh = yl + 1
    if xl >= w - 1:
        xh = xl = w - 1
        x = float(xl)
    else:
        xh = xl + 1
    ly, lx = y - yl, x - xl
    hy, hx = 1 - ly, 1 - lx
    return hy * hx * img[..., yl, xl] + hy * lx * img[..., yl, xh] + ly * hx * img[..., yh, xl] + \
        ly * lx * img[..., yh, xh]


def _ref_roi_align(x, rois, out_hw, scale, sampling_ratio, aligned):
    ph_n, pw_n = out_hw
    out = np.zeros((len(rois), x.shape[1], ph_n, pw_n))
    off = 0.5 if aligned else 0.0
    for k, (b, x1, y1, x2, y2) in enumerate(rois):
        img = x[int(b)].astype(np.float64)
        sx, sy = x1 * scale - off, y1 * scale - off
        rw, rh = x2 * scale - off - sx, y2 * scale - off - sy
        if not aligned:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        bh, bw = rh / ph_n, rw / pw_n
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(rh / ph_n)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(rw / pw_n)
        count = max(gh * gw, 1)
        for ph in range(ph_n):
            for pw in range(pw_n):
                acc = 0.0
                for iy in range(gh):
                    yy = sy + ph * bh + (iy + 0.5) * bh / gh
                    for ix in range(gw):
                        acc = acc + _bilinear(img, yy, sx + pw * bw + (ix + 0.5) * bw / gw)
                out[k, :, ph, pw] = acc / count
    return out


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("sampling_ratio", [-1, 2])
def test_roi_align_matches_numpy_reference(aligned, sampling_ratio):
    rng = np.random.default_rng(int(aligned) * 10 + sampling_ratio + 5)
    x = rng.standard_normal((2, 3, 12, 10)).astype(np.float32)
    rois = np.array([[0, 1.0, 1.5, 8.0, 9.0], [1, -2.0, 0.0, 5.5, 3.0], [1, 3.2, 4.1, 3.5, 4.3],
                     [0, 6.0, 7.0, 30.0, 25.0], [1, 0.0, 0.0, 19.0, 23.0]], dtype=np.float32)
    scale = 0.5
    tx = T.tensor(x, requires_grad=True)
    out = ops.roi_align(tx, T.tensor(rois), (3, 4), scale, sampling_ratio, aligned)
    ref = _ref_roi_align(x, rois, (3, 4), scale, sampling_ratio, aligned)
    assert out.dtype == T.float32 and tuple(out.shape) == (5, 3, 3, 4)
    np.testing.assert_allclose(out.detach().numpy(), ref, rtol=1e-5, atol=1e-5)
    # roi_align is linear in its input: <A x, g> == <x, A^T g> checks the gradient exactly.
    g = rng.standard_normal(ref.shape).astype(np.float32)
    (out * T.tensor(g)).sum().backward()
    y = rng.standard_normal(x.shape).astype(np.float32)
    lhs = float((_ref_roi_align(y, rois, (3, 4), scale, sampling_ratio, aligned) * g).sum())
    np.testing.assert_allclose(float((y * tx.grad.numpy()).sum()), lhs, rtol=1e-4)


def test_roi_align_box_list_and_module():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 8, 8)).astype(np.float32)
    boxes = [T.tensor([[0.0, 0.0, 4.0, 4.0]]), T.tensor([[1.0, 2.0, 6.0, 7.0], [0.0, 0.0, 7.0, 7.0]])]
    as_list = ops.roi_align(T.tensor(x), boxes, 2, 1.0, 2, True)
    rois = np.array([[0, 0, 0, 4, 4], [1, 1, 2, 6, 7], [1, 0, 0, 7, 7]], dtype=np.float32)
    np.testing.assert_allclose(as_list.numpy(), _ref_roi_align(x, rois, (2, 2), 1.0, 2, True), rtol=1e-5,
                               atol=1e-6)
    layer = ops.RoIAlign((2, 2), 1.0, 2, aligned=True)
    np.testing.assert_allclose(layer(T.tensor(x), T.tensor(rois)).numpy(), as_list.numpy())
    assert "aligned=True" in repr(layer)


def test_stochastic_depth_and_frozen_bn():
    x = T.ones(8, 3)
    assert ops.stochastic_depth(x, 0.5, "row", training=False) is x
    T.manual_seed(0)
    y = ops.stochastic_depth(x, 0.5, "row")
    assert set(np.unique(y.numpy()).tolist()) <= {0.0, 2.0}
    with pytest.raises(ValueError):
        ops.stochastic_depth(x, 1.5, "row")
    bn = ops.FrozenBatchNorm2d(3)
    inp = T.randn(2, 3, 4, 4)
    np.testing.assert_allclose(bn(inp).numpy(), inp.numpy() / math.sqrt(1 + 1e-5), rtol=1e-6)
    bn.load_state_dict({**bn.state_dict(), "num_batches_tracked": T.tensor(3)})
