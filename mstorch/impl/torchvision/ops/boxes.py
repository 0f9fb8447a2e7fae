"""torchvision.ops boxes: NMS and box geometry.

NMS is a data-dependent greedy loop with no gradient, so it runs on the host (NumPy,
in the boxes' own float precision, as torchvision's CPU kernel does); the geometry
functions are torch ops so that they carry gradients like torchvision's.
"""
import numpy as np

from mstorch.impl.torch._ns import torch

_FMTS = ("xyxy", "xywh", "cxcywh")


def _host(t):
    return t.detach().cpu().numpy()


def _check_nms_args(boxes, scores):
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise RuntimeError(f"boxes should have 4 elements in dimension 1, got {boxes.shape[-1]}"
                           if boxes.dim() == 2 else f"boxes should be a 2d tensor, got {boxes.dim()}D")
    if scores.dim() != 1:
        raise RuntimeError(f"scores should be a 1d tensor, got {scores.dim()}D")
    if boxes.shape[0] != scores.shape[0]:
        raise RuntimeError(f"boxes and scores should have same number of elements in dimension 0, got "
                           f"{boxes.shape[0]} and {scores.shape[0]}")
    if not boxes.dtype.is_floating_point or scores.dtype != boxes.dtype:
        raise RuntimeError("nms: boxes and scores must be floating point tensors of one dtype, got "
                           f"{boxes.dtype} and {scores.dtype}")


def _nms_host(b, s, iou_threshold):
    # torchvision's CPU kernel: stable descending sort, then suppress IoU > threshold.
    order = np.argsort(-s, kind="stable")
    x1, y1, x2, y2 = (b[:, i] for i in range(4))
    areas = (x2 - x1) * (y2 - y1)
    suppressed = np.zeros(len(b), dtype=bool)
    keep = []
    thr = b.dtype.type(iou_threshold)
    for pos, i in enumerate(order):
        if suppressed[i]:
            continue
        keep.append(i)
        rest = order[pos + 1:]
        rest = rest[~suppressed[rest]]
        if rest.size == 0:
            continue
        w = np.maximum(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0)
        h = np.maximum(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0)
        inter = w * h
        ovr = inter / (areas[i] + areas[rest] - inter)
        suppressed[rest[ovr > thr]] = True
    return np.asarray(keep, dtype=np.int64)


def nms(boxes, scores, iou_threshold):
    _check_nms_args(boxes, scores)
    keep = _nms_host(_host(boxes), _host(scores), float(iou_threshold))
    return torch.as_tensor(keep, dtype=torch.int64, device=boxes.device)


def batched_nms(boxes, scores, idxs, iou_threshold):
    # torchvision's own switch: one NMS over offset boxes for small inputs, per class for large.
    if boxes.numel() > 4000:
        return _batched_nms_vanilla(boxes, scores, idxs, iou_threshold)
    return _batched_nms_coordinate_trick(boxes, scores, idxs, iou_threshold)


def _batched_nms_coordinate_trick(boxes, scores, idxs, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
    return nms(boxes + offsets[:, None], scores, iou_threshold)


def _batched_nms_vanilla(boxes, scores, idxs, iou_threshold):
    _check_nms_args(boxes, scores)
    b, s, ids = _host(boxes), _host(scores), _host(idxs)
    keep_mask = np.zeros(len(b), dtype=bool)
    for class_id in np.unique(ids):
        curr = np.nonzero(ids == class_id)[0]
        keep_mask[curr[_nms_host(b[curr], s[curr], float(iou_threshold))]] = True
    keep = np.nonzero(keep_mask)[0]
    keep = keep[np.argsort(-s[keep], kind="stable")]
    return torch.as_tensor(keep.astype(np.int64), device=boxes.device)


def _upcast(t):
    if t.is_floating_point():
        return t if t.dtype in (torch.float32, torch.float64) else t.float()
    return t if t.dtype in (torch.int32, torch.int64) else t.int()


def box_area(boxes):
    boxes = _upcast(boxes)
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _box_inter_union(boxes1, boxes2):
    area1, area2 = box_area(boxes1), box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = _upcast(rb - lt).clamp(min=0)
    inter = wh[:, :, 0] * wh[:, :, 1]
    return inter, area1[:, None] + area2 - inter


def box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    return inter / union


def generalized_box_iou(boxes1, boxes2):
    inter, union = _box_inter_union(boxes1, boxes2)
    iou = inter / union
    lti = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rbi = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    whi = _upcast(rbi - lti).clamp(min=0)
    areai = whi[:, :, 0] * whi[:, :, 1]
    return iou - (areai - union) / areai


def _to_xyxy(boxes, fmt):
    a, b, c, d = boxes.unbind(-1)
    if fmt == "xywh":
        return torch.stack((a, b, a + c, b + d), dim=-1)
    # cxcywh
    return torch.stack((a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d), dim=-1)


def _from_xyxy(boxes, fmt):
    x1, y1, x2, y2 = boxes.unbind(-1)
    if fmt == "xywh":
        return torch.stack((x1, y1, x2 - x1, y2 - y1), dim=-1)
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), dim=-1)


def box_convert(boxes, in_fmt, out_fmt):
    for fmt in (in_fmt, out_fmt):
        if fmt not in _FMTS:
            if fmt in ("xywhr", "cxcywhr", "xyxyxyxy"):
                raise NotImplementedError(f"mstorch: torchvision.ops.box_convert with rotated format {fmt!r}")
            raise ValueError("Unsupported Bounding Box Conversions for given in_fmt and out_fmt")
    if in_fmt == out_fmt:
        return boxes.clone()
    if in_fmt != "xyxy":
        boxes = _to_xyxy(boxes, in_fmt)
    if out_fmt != "xyxy":
        boxes = _from_xyxy(boxes, out_fmt)
    return boxes


def clip_boxes_to_image(boxes, size):
    dim = boxes.dim()
    boxes_x, boxes_y = boxes[..., 0::2], boxes[..., 1::2]
    height, width = size
    boxes_x = boxes_x.clamp(min=0, max=width)
    boxes_y = boxes_y.clamp(min=0, max=height)
    return torch.stack((boxes_x, boxes_y), dim=dim).reshape(boxes.shape)


def remove_small_boxes(boxes, min_size):
    ws, hs = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    keep = (ws >= min_size) & (hs >= min_size)
    return torch.where(keep)[0]
