"""How DistributedDataParallel groups gradients into all-reduce buckets: PyTorch's
compute_bucket_assignment_by_size, and the flatten / unflatten of a group of tensors."""
import sys

from mstorch.impl.torch._ns import torch

MB = 1024 * 1024
DEFAULT_BUCKET_CAP_MB = 25
DEFAULT_FIRST_BUCKET_BYTES = 1024 * 1024   # torch.distributed._DEFAULT_FIRST_BUCKET_BYTES


class BucketConfig:
    """Byte limits of the buckets: `bucket_cap_mb` (25 by default), a 1 MiB first bucket when
    the default is used, or one limit per bucket from `bucket_cap_mb_list`."""

    def __init__(self, bucket_cap_mb, bucket_cap_mb_list):
        default = bucket_cap_mb is None
        cap_mb = DEFAULT_BUCKET_CAP_MB if default else bucket_cap_mb
        self.per_bucket = ()
        if bucket_cap_mb_list:
            self.per_bucket = tuple(int(c * MB) for c in bucket_cap_mb_list)
            cap_mb, default = max(bucket_cap_mb_list), False
        self.bucket_bytes_cap = int(cap_mb * MB)
        self.first_bucket_bytes_cap = DEFAULT_FIRST_BUCKET_BYTES if default else self.bucket_bytes_cap

    def initial_limits(self, static_graph, find_unused_parameters):
        """Limits of the buckets built at construction (PyTorch's compute_bucket_size_limits):
        without unused-parameter search the first iteration uses one bucket, and the buckets
        are rebuilt in gradient-ready order after it."""
        if self.per_bucket:
            return list(self.per_bucket)
        if static_graph or not find_unused_parameters:
            return [sys.maxsize]
        return self.rebuild_limits()

    def rebuild_limits(self):
        if self.per_bucket:
            return list(self.per_bucket)
        if self.first_bucket_bytes_cap < self.bucket_bytes_cap:
            return [self.first_bucket_bytes_cap, self.bucket_bytes_cap]
        return [self.bucket_bytes_cap]


def assign_by_size(tensors, limits, indices=None):
    """Lists of parameter indices, one per bucket, as PyTorch's compute_bucket_assignment_by_size.

    Tensors of one (dtype, device) fill a bucket until its byte size reaches the current limit,
    which then moves to the next limit in `limits` (the last repeats). With `indices` (the
    gradient-ready order) the buckets keep that order; without, they are sorted by their
    smallest index."""
    result = []
    open_buckets = {}
    limit_pos = {}
    for i, t in enumerate(tensors):
        index = i if indices is None else indices[i]
        key = (t.dtype, str(t.device))
        bucket = open_buckets.setdefault(key, [[], 0])
        bucket[0].append(index)
        bucket[1] += t.numel() * t.element_size()
        pos = limit_pos.setdefault(key, 0)
        if bucket[1] >= limits[pos]:
            result.append(bucket[0])
            open_buckets[key] = [[], 0]
            limit_pos[key] = min(pos + 1, len(limits) - 1)
    result.extend(b[0] for b in open_buckets.values() if b[0])
    if indices is None:
        result.sort(key=min)
    return result


def flatten(tensors):
    return torch.cat([t.reshape(-1) for t in tensors]) if len(tensors) > 1 else tensors[0].reshape(-1).clone()


def unflatten_into(flat, tensors):
    """Copy consecutive slices of `flat` back into `tensors` (in place)."""
    offset = 0
    for t in tensors:
        n = t.numel()
        t.copy_(flat[offset:offset + n].view_as(t))
        offset += n
