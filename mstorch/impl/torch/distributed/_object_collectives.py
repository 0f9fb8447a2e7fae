"""Collectives over picklable Python objects: pickled to bytes, carried by the tensor
collectives (sizes first, then the bytes padded to the largest), unpickled on arrival."""
import io
import pickle

import numpy as np

from dispatch.pyapi import tensor as _tensor
from mstorch.impl.torch.distributed import _collectives as C
from mstorch.impl.torch.distributed.distributed_c10d import GroupMember, _resolve


def _to_bytes(obj):
    buf = io.BytesIO()
    pickle.Pickler(buf).dump(obj)
    return np.frombuffer(buf.getvalue(), np.uint8)


def _from_bytes(t, size):
    return pickle.loads(t.numpy()[:size].tobytes())


def _sizes(group, n, size):
    sizes = [_tensor(np.zeros(1, np.int64)) for _ in range(n)]
    C.all_gather(sizes, _tensor(np.array([size], np.int64)), group=group)
    return [int(s.item()) for s in sizes]


def all_gather_object(object_list, obj, group=None):
    if group is GroupMember.NON_GROUP_MEMBER:
        return
    n = _resolve(group).size()
    data = _to_bytes(obj)
    sizes = _sizes(group, n, data.size)
    width = max(sizes)
    padded = np.zeros(width, np.uint8)
    padded[:data.size] = data
    outs = [_tensor(np.zeros(width, np.uint8)) for _ in range(n)]
    C.all_gather(outs, _tensor(padded), group=group)
    for i in range(n):
        object_list[i] = _from_bytes(outs[i], sizes[i])


def gather_object(obj, object_gather_list=None, dst=None, group=None, group_dst=None):
    if group is GroupMember.NON_GROUP_MEMBER:
        return
    pg = _resolve(group)
    root = C._group_rank_of(pg, dst, group_dst, "dst")
    gathered = [None] * pg.size()
    all_gather_object(gathered, obj, group=group)  # every rank learns every size; only dst keeps the objects
    if pg.rank() == root:
        if object_gather_list is None:
            raise ValueError("Argument ``object_gather_list`` must be specified on destination rank.")
        object_gather_list[:len(gathered)] = gathered


def broadcast_object_list(object_list, src=None, group=None, device=None, group_src=None):
    if group is GroupMember.NON_GROUP_MEMBER:
        return
    pg = _resolve(group)
    root = C._group_rank_of(pg, src, group_src, "src")
    mine = pg.rank() == root
    data = _to_bytes(list(object_list)) if mine else None
    size = _tensor(np.array([data.size if mine else 0], np.int64))
    C.broadcast(size, group=group, group_src=root)
    buf = _tensor(data.copy() if mine else np.zeros(int(size.item()), np.uint8))
    C.broadcast(buf, group=group, group_src=root)
    if not mine:
        got = _from_bytes(buf, int(size.item()))
        object_list[:len(got)] = got


def scatter_object_list(scatter_object_output_list, scatter_object_input_list=None, src=None, group=None,
                        group_src=None):
    if group is GroupMember.NON_GROUP_MEMBER:
        return
    pg = _resolve(group)
    root = C._group_rank_of(pg, src, group_src, "src")
    if not isinstance(scatter_object_output_list, list) or len(scatter_object_output_list) < 1:
        raise ValueError("Expected argument scatter_object_output_list to be a list of size at least 1.")
    items = [list(scatter_object_input_list) if pg.rank() == root else None]
    broadcast_object_list(items, group=group, group_src=root)
    scatter_object_output_list[0] = items[0][pg.rank()]
