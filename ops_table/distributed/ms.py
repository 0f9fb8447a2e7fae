"""Collective kernels on MindSpore's communication layer (`mindspore.mint.distributed`).

Each kernel gets MindSpore arrays (written arguments are the tensors' own storage or
contiguous copies the dispatcher writes back: dispatch/written_args.py), a process
group's MindSpore name and ranks counted within that group, and writes its results into
the written arrays, as PyTorch's collectives do.

What MindSpore 2.10's CPU backend (mccl) does, measured on 2 processes:
- `all_reduce` (sum/prod/min/max/avg) works for float32, float16, bfloat16, int64, int32
  and int8, in place; float64, uint8 and bool fail ("AllReduce failed");
- `broadcast`, `all_gather` (into a list) and `scatter` work; `barrier` works but prints
  "CPU device is not supported" as an [ERROR] line first;
- `all_gather_into_tensor`, `reduce_scatter(_tensor)`, `reduce`, `all_to_all(_single)`
  have no CPU kernel ("DistComm... unregistered"); the legacy ReduceScatter/AlltoAll
  primitives have none either;
- `send`/`recv` look their peer up in "hccl_world_group" (absent on CPU) and then
  deliver stale data: unusable.
So data movement goes as raw bytes (an int8 view of the tensors' memory, whatever their
dtype: exact for every dtype, float64 and bool included) through broadcast/all_gather,
and the collectives MindSpore lacks are composed from those: reduce_scatter is an
all_reduce of which each rank keeps its slice, all_to_all an all_gather of each rank's
payload, point-to-point a step of an all_gather over the pair of ranks (see `p2p`).
Reductions MindSpore cannot compute (float64, uint8, bool, int16, complex) gather the
operands and reduce them in NumPy, in rank order.
"""
import numpy as np

from ops_table.common._ms import from_host, host_array, np_dtype

_NATIVE_REDUCE = {"Float32", "Float16", "BFloat16", "Int64", "Int32", "Int8"}
_NP_REDUCE = {"sum": np.add, "prod": np.multiply, "min": np.minimum, "max": np.maximum}
_BOOL_REDUCE = {"sum": np.logical_or, "max": np.logical_or, "prod": np.logical_and, "min": np.logical_and}


def _md():
    import mindspore.mint.distributed as md
    return md


def _host(arr):
    """A NumPy array over `arr`'s own elements (writes reach the tensor)."""
    return host_array(arr)


def _group_size(group):
    from mindspore.communication import get_group_size
    return get_group_size(group)


def _group_rank(group):
    from mindspore.communication import get_rank
    return get_rank(group)


def _byte_tensor(a):
    """An int8 MindSpore tensor over a C-contiguous NumPy array's bytes (shared memory)."""
    a = np.ascontiguousarray(a)
    return from_host(a.reshape(-1).view(np.int8)), a


def _all_gather_bytes(payload, group, n):
    """Every rank's bytes (equal length on every rank), as a list of NumPy int8 arrays in rank order."""
    send, _ = _byte_tensor(payload)
    if send.shape[0] == 0:
        return [np.empty(0, np.int8) for _ in range(n)]
    outs = [np.empty(send.shape[0], np.int8) for _ in range(n)]
    _md().all_gather([from_host(o) for o in outs], send, group=group)
    return outs


def _all_gather_np(a, group, n):
    """Every rank's array of `a`'s shape and dtype, in rank order."""
    a = np.ascontiguousarray(a)
    return [b.view(a.dtype).reshape(a.shape) for b in _all_gather_bytes(a.view(np.int8).reshape(-1), group, n)]


def _world_rank(group, group_rank):
    from mindspore.communication import GlobalComm, get_world_rank_from_group_rank
    if group == GlobalComm.WORLD_COMM_GROUP:
        return group_rank
    return get_world_rank_from_group_rank(group, group_rank)


def _broadcast_bytes(a, src, group):
    """Broadcast C-contiguous NumPy array `a` in place from group rank `src`."""
    if a.size == 0:
        return
    t, _ = _byte_tensor(a)
    # mint.distributed.broadcast names its source by global rank.
    _md().broadcast(t, _world_rank(group, src), group=group)


def _reduce_np(arrays, op):
    if arrays[0].dtype == np.bool_:
        return _fold(_BOOL_REDUCE[op if op != "avg" else "sum"], arrays)
    if op == "avg":
        total = _fold(np.add, arrays)
        if np.issubdtype(total.dtype, np.integer):
            return (total // len(arrays)).astype(total.dtype)  # NCCL's integer average truncates
        return (total / len(arrays)).astype(total.dtype)
    return _fold(_NP_REDUCE[op], arrays)


def _fold(fn, arrays):
    out = arrays[0].copy()
    for a in arrays[1:]:
        fn(out, a, out=out)
    return out


def _reduced(arr, op, group):
    """The element-wise reduction of `arr` over the group, as a NumPy array (arr unchanged)."""
    src = np.array(_host(arr))
    if str(arr.dtype) in _NATIVE_REDUCE and src.size:
        t = from_host(src)
        _md().all_reduce(t, op=op, group=group)
        return _host(t)
    return _reduce_np(_all_gather_np(src, group, _group_size(group)), op)


def all_reduce(tensor, op, group):
    if 0 in tensor.shape:
        return
    if str(tensor.dtype) in _NATIVE_REDUCE:
        _md().all_reduce(tensor, op=op, group=group)  # in place, into the tensor's memory
        return
    _host(tensor)[...] = _reduce_np(_all_gather_np(_host(tensor), group, _group_size(group)), op)


def broadcast(tensor, src, group):
    dst = _host(tensor)
    buf = np.ascontiguousarray(dst)
    _broadcast_bytes(buf, src, group)
    if buf is not dst:
        dst[...] = buf


def all_gather(tensor_list, tensor, group):
    n = _group_size(group)
    for out, got in zip(tensor_list, _all_gather_np(_host(tensor), group, n)):
        _host(out)[...] = got


def all_gather_into_tensor(output, input, group):
    n = _group_size(group)
    parts = _all_gather_np(_host(input), group, n)
    flat = _host(output).reshape(-1) if output.shape else _host(output)
    flat[...] = np.concatenate([p.reshape(-1) for p in parts]).reshape(flat.shape)


def reduce_scatter_tensor(output, input, op, group):
    me = _group_rank(group)
    total = _reduced(input, op, group)
    chunk = total.reshape(-1)[me * output.size:(me + 1) * output.size] if total.ndim else total
    _host(output)[...] = chunk.reshape(output.shape)


def reduce_scatter(output, input_list, op, group):
    me = _group_rank(group)
    stacked = np.stack([np.ascontiguousarray(_host(t)) for t in input_list])
    _host(output)[...] = _reduced(from_host(stacked), op, group)[me]


def reduce(tensor, dst, op, group):
    total = _reduced(tensor, op, group)
    if _group_rank(group) == dst:
        _host(tensor)[...] = total


def gather(gather_list, tensor, dst, group):
    parts = _all_gather_np(_host(tensor), group, _group_size(group))
    if _group_rank(group) == dst:
        for out, got in zip(gather_list, parts):
            _host(out)[...] = got


def scatter(tensor, scatter_list, src, group):
    """Rank `src` broadcasts the whole list once; each rank keeps its own part."""
    n, me = _group_size(group), _group_rank(group)
    out = _host(tensor)
    whole = np.empty((n,) + out.shape, out.dtype)
    if me == src:
        for i, t in enumerate(scatter_list):
            whole[i] = _host(t)
    _broadcast_bytes(whole, src, group)
    out[...] = whole[me]


def _all_to_all_bytes(chunks, group, n):
    """chunks[j]: the bytes for group rank j; returns the bytes each rank sent to this one."""
    me = _group_rank(group)
    lengths = np.array([c.size for c in chunks], np.int64)
    table = _all_gather_np(lengths, group, n)           # table[j][i]: bytes rank j sends to rank i
    width = max(int(t.sum()) for t in table)
    payload = np.zeros(width, np.int8)
    if chunks:
        joined = np.concatenate(chunks) if lengths.sum() else np.empty(0, np.int8)
        payload[:joined.size] = joined
    everyone = _all_gather_bytes(payload, group, n)
    got = []
    for j in range(n):
        start = int(table[j][:me].sum())
        got.append(everyone[j][start:start + int(table[j][me])])
    return got


def _as_bytes(a):
    return np.ascontiguousarray(a).reshape(-1).view(np.int8)


def all_to_all(output_list, input_list, group):
    n = _group_size(group)
    got = _all_to_all_bytes([_as_bytes(_host(t)) for t in input_list], group, n)
    for out, b in zip(output_list, got):
        host = _host(out)
        if b.size != host.nbytes:
            raise RuntimeError(f"all_to_all: an output tensor holds {host.nbytes} bytes but {b.size} arrived")
        host[...] = b.view(host.dtype).reshape(host.shape)


def all_to_all_single(output, input, output_split_sizes, input_split_sizes, group):
    n = _group_size(group)
    src, out = np.ascontiguousarray(_host(input)), _host(output)
    in_sizes = input_split_sizes or [src.shape[0] // n] * n if src.ndim else [0] * n
    out_sizes = output_split_sizes or [out.shape[0] // n] * n if out.ndim else [0] * n
    bounds = np.cumsum([0, *in_sizes])
    got = _all_to_all_bytes([_as_bytes(src[bounds[j]:bounds[j + 1]]) for j in range(n)], group, n)
    pieces = []
    for j, b in enumerate(got):
        rows = b.view(out.dtype).reshape((-1,) + out.shape[1:])
        if rows.shape[0] != out_sizes[j]:
            raise RuntimeError(f"all_to_all_single: rank {j} sent {rows.shape[0]} rows where output_split_sizes "
                               f"expects {out_sizes[j]}")
        pieces.append(rows)
    out[...] = np.concatenate(pieces) if pieces else out


def barrier(token, group):
    # MindSpore's CPU barrier prints "CPU device is not supported" (an [ERROR] line) before
    # it runs; an all-reduce of a one-element token holds every rank until all arrive.
    _md().all_reduce(token, op="sum", group=group)


# Messages the peer sent (in steps where this rank may not have been receiving yet), per pair group.
_ARRIVED = {}
_MARK = np.ones(1, np.int8)


def _p2p_step(tensor, sending, group):
    """One point-to-point step between the two ranks of `group`.

    MindSpore's CPU send/recv cannot be used (see above), so every send and every recv
    is one all_gather over the pair, in which the sending side contributes the tensor's
    bytes. A matched send/recv is one step on each side, so both sides take the same
    number of steps whatever order each posts its operations in (rank 0 sending then
    receiving while rank 1 does the same works, as in PyTorch). What arrives is queued
    in order; a recv takes the oldest message."""
    me = _group_rank(group)
    # A sender's bytes start with a marker byte, so that an empty tensor's message still arrives.
    payload = np.concatenate([_MARK, _as_bytes(_host(tensor))]) if sending else np.empty(0, np.int8)
    got = _all_to_all_bytes([payload if j != me else np.empty(0, np.int8) for j in range(2)], group, 2)
    queue = _ARRIVED.setdefault(group, [])
    if got[1 - me].size:
        queue.append(got[1 - me][1:])
    return queue


def send(tensor, peer, group):
    _p2p_step(tensor, True, group)
    return from_host(np.array(_host(tensor).nbytes, np.int64))


def recv(tensor, peer, group):
    host = _host(tensor)
    queue = _p2p_step(tensor, False, group)
    if not queue:
        raise RuntimeError(f"recv: rank {peer} of the pair posted no matching send (both ranks were receiving)")
    data = queue.pop(0)
    if data.size != host.nbytes:
        raise RuntimeError(f"recv: the tensor holds {host.nbytes} bytes but the message has {data.size}")
    host[...] = data.view(host.dtype).reshape(host.shape)


__all__ = ["all_reduce", "broadcast", "all_gather", "all_gather_into_tensor", "reduce_scatter_tensor",
           "reduce_scatter", "reduce", "gather", "scatter", "all_to_all", "all_to_all_single", "barrier", "send",
           "recv", "np_dtype"]
