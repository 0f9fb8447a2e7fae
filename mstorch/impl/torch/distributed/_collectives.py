"""torch.distributed's collectives: argument checks, rank translation, and the table ops
(`_c10d_*`, ops_table/distributed/entries.py) that move the data on MindSpore.

Results are written into the argument tensors (through views, version counters bumped) by
the ops' written-argument mechanism. `async_op=True` returns a Work handle; the collective
has already run when the call returns, so `wait()` returns True at once and `is_completed()`
is True, which PyTorch's contract allows (a Work may complete before it is waited on).

Why not MindSpore's own asynchronous collectives: measured on 2 CPU processes (mccl, 16 MiB
float32 all-reduce, the same compute on both ranks between launch and wait, medians of 7,
2-core host at load ~10):
- mstorch runs MindSpore with `launch_blocking()` (dispatch/backend.py; it cannot be undone
  in a process). There `mint.distributed.all_reduce(t, async_op=True)` returns its CommHandle
  only after the collective: launch 252-259 ms vs 255-267 ms for the synchronous call, and
  launch + 32 MatMuls + wait took 585-615 ms vs 540 ms synchronous-then-compute (no overlap;
  NumPy compute: 480-489 vs 510-523 ms, within noise).
- In MindSpore's default asynchronous mode the launch returns in 0.2-0.7 ms, but launch +
  MatMuls + wait took 600-606 ms vs 455-561 ms sequential, NumPy compute 427-447 vs 378-415:
  the collective still does not overlap with compute.
- Running the collective from a second Python thread is ruled out: MindSpore's runtime is not
  safe to drive from two threads (dispatch/mslock.py serialises every launch).
The handle's result (values after wait) is correct in both modes; only the timing is serial.
"""
from dispatch.opsns import T
from dispatch.tensor import Tensor
from mstorch.impl.torch.distributed.distributed_c10d import (
    GroupMember, ReduceOp, _resolve, _state, get_group_rank, pair_group)

_OPS = {ReduceOp.SUM: "sum", ReduceOp.AVG: "avg", ReduceOp.PRODUCT: "prod", ReduceOp.MIN: "min",
        ReduceOp.MAX: "max"}


class Work:
    """The handle of a collective started with async_op=True (already complete)."""

    def __init__(self, tensors=()):
        self._tensors = list(tensors)

    def wait(self, timeout=None):
        return True

    def is_completed(self):
        return True

    def is_success(self):
        return True

    def exception(self):
        return None

    def result(self):
        return self._tensors

    def synchronize(self):
        return None

    def source_rank(self):
        raise RuntimeError("source_rank is only available for recv with src=None")

    def get_future(self):
        raise NotImplementedError("mstorch: Work.get_future (torch.futures) is not supported")

    def block_current_stream(self):
        return None


def _done(async_op, tensors=()):
    return Work(tensors) if async_op else None


def _op_name(op):
    if op in _OPS:
        return _OPS[op]
    if not isinstance(op, ReduceOp.RedOpType):
        raise TypeError(f"all_reduce(): op must be a torch.distributed.ReduceOp, got {op!r}")
    name = op.name
    raise NotImplementedError(f"mstorch: torch.distributed ReduceOp.{name} is not supported "
                              "(SUM, AVG, PRODUCT, MIN and MAX are)")


def _check_tensor(t, name):
    if not isinstance(t, Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type torch.Tensor\n"
                        f"             but got {type(t)} instead.")


def _check_list(ts, name):
    if not isinstance(ts, (list, tuple)) or not all(isinstance(t, Tensor) for t in ts):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type List[torch.Tensor]\n"
                        "             but got {type(ts)} instead.")


def _group(g):
    """(ProcessGroup, skip): skip is True on ranks outside the group (PyTorch returns None there)."""
    if g is GroupMember.NON_GROUP_MEMBER:
        return None, True
    return _resolve(g), False


def _group_rank_of(pg, rank, group_rank, what):
    """A peer given as a global rank (`src=`/`dst=`) or as a group rank (`group_src=`/`group_dst=`)."""
    if rank is not None and group_rank is not None:
        raise ValueError(f"Can not specify both {what} and group_{what}")
    if group_rank is not None:
        if not 0 <= group_rank < pg.size():
            raise ValueError(f"group_{what} {group_rank} is not in a group of size {pg.size()}")
        return group_rank
    if rank is None:
        if pg is _state.default:
            return 0  # PyTorch's default src/dst is rank 0 when no group is given
        raise ValueError(f"Must specify either {what} or group_{what}")
    return get_group_rank(pg, rank)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    T._c10d_all_reduce_(tensor, _op_name(op), pg._ms_name)
    return _done(async_op, [tensor])


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    T._c10d_broadcast_(tensor, _group_rank_of(pg, src, group_src, "src"), pg._ms_name)
    return _done(async_op, [tensor])


def all_gather(tensor_list, tensor, group=None, async_op=False):
    _check_list(tensor_list, "tensor_list")
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    if len(tensor_list) != pg.size():
        raise ValueError(f"all_gather: tensor_list has {len(tensor_list)} tensors for a group of {pg.size()}")
    for t in tensor_list:
        if t.numel() != tensor.numel() or t.dtype != tensor.dtype:
            raise ValueError("all_gather: every output tensor must have the input's size and dtype")
    T._c10d_all_gather_(list(tensor_list), tensor, pg._ms_name)
    return _done(async_op, tensor_list)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    _check_tensor(output_tensor, "output_tensor")
    _check_tensor(input_tensor, "input_tensor")
    pg, skip = _group(group)
    if skip:
        return None
    if output_tensor.numel() != input_tensor.numel() * pg.size() or output_tensor.dtype != input_tensor.dtype:
        raise ValueError("output tensor size must be equal to world_size times input tensor size")
    T._c10d_all_gather_into_tensor_(output_tensor, input_tensor, pg._ms_name)
    return _done(async_op, [output_tensor])


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    _check_tensor(output, "output")
    _check_list(input_list, "input_list")
    pg, skip = _group(group)
    if skip:
        return None
    if len(input_list) != pg.size():
        raise ValueError(f"reduce_scatter: input_list has {len(input_list)} tensors for a group of {pg.size()}")
    T._c10d_reduce_scatter_(output, list(input_list), _op_name(op), pg._ms_name)
    return _done(async_op, [output])


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    _check_tensor(output, "output")
    _check_tensor(input, "input")
    pg, skip = _group(group)
    if skip:
        return None
    if input.numel() != output.numel() * pg.size():
        raise ValueError("input tensor must be the same size as output size times world size")
    T._c10d_reduce_scatter_tensor_(output, input, _op_name(op), pg._ms_name)
    return _done(async_op, [output])


def reduce(tensor, dst=None, op=ReduceOp.SUM, group=None, async_op=False, group_dst=None):
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    T._c10d_reduce_(tensor, _group_rank_of(pg, dst, group_dst, "dst"), _op_name(op), pg._ms_name)
    return _done(async_op, [tensor])


def gather(tensor, gather_list=None, dst=None, group=None, async_op=False, group_dst=None):
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    root = _group_rank_of(pg, dst, group_dst, "dst")
    if pg.rank() == root:
        if not gather_list or len(gather_list) != pg.size():
            raise ValueError("Argument ``gather_list`` must be specified on destination rank.")
        _check_list(gather_list, "gather_list")
    elif gather_list:
        raise ValueError("Argument ``gather_list`` must NOT be specified on non-destination ranks.")
    T._c10d_gather_(list(gather_list or []), tensor, root, pg._ms_name)
    return _done(async_op, gather_list or [])


def scatter(tensor, scatter_list=None, src=None, group=None, async_op=False, group_src=None):
    _check_tensor(tensor, "tensor")
    pg, skip = _group(group)
    if skip:
        return None
    root = _group_rank_of(pg, src, group_src, "src")
    if pg.rank() == root:
        if not scatter_list or len(scatter_list) != pg.size():
            raise ValueError("Argument ``scatter_list`` must be specified on source rank.")
        _check_list(scatter_list, "scatter_list")
    elif scatter_list:
        raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source ranks.")
    T._c10d_scatter_(tensor, list(scatter_list or []), root, pg._ms_name)
    return _done(async_op, [tensor])


def all_to_all(output_tensor_list, input_tensor_list, group=None, async_op=False):
    _check_list(output_tensor_list, "output_tensor_list")
    _check_list(input_tensor_list, "input_tensor_list")
    pg, skip = _group(group)
    if skip:
        return None
    if len(output_tensor_list) != pg.size() or len(input_tensor_list) != pg.size():
        raise ValueError(f"all_to_all: both lists must hold {pg.size()} tensors (the group's size)")
    T._c10d_all_to_all_(list(output_tensor_list), list(input_tensor_list), pg._ms_name)
    return _done(async_op, output_tensor_list)


def all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None, group=None,
                      async_op=False):
    _check_tensor(output, "output")
    _check_tensor(input, "input")
    pg, skip = _group(group)
    if skip:
        return None
    for name, sizes, t in (("output_split_sizes", output_split_sizes, output),
                           ("input_split_sizes", input_split_sizes, input)):
        if sizes:
            if len(sizes) != pg.size() or sum(sizes) != t.shape[0]:
                raise ValueError(f"all_to_all_single: {name} must have {pg.size()} entries summing to "
                                 f"{t.shape[0] if t.dim() else 0}")
        elif t.dim() and t.shape[0] % pg.size():
            raise ValueError(f"all_to_all_single: dim 0 of the {name.split('_')[0]} tensor must divide evenly "
                             f"into {pg.size()} parts")
    T._c10d_all_to_all_single_(output, input, list(output_split_sizes) if output_split_sizes else None,
                               list(input_split_sizes) if input_split_sizes else None, pg._ms_name)
    return _done(async_op, [output])


def barrier(group=None, async_op=False, device_ids=None):
    pg, skip = _group(group)
    if skip:
        return None
    T._c10d_barrier_(T.zeros(1, dtype=T.int32), pg._ms_name)
    return _done(async_op)


def monitored_barrier(group=None, timeout=None, wait_all_ranks=False):
    return barrier(group)


def _peer(group, rank, group_rank, what, name):
    pg, skip = _group(group)
    if skip:
        return None, None
    if rank is None and group_rank is None:
        raise NotImplementedError(f"mstorch: torch.distributed.{name} from any source ({what}=None) is not "
                                  "supported; name the peer rank")
    peer = pg._ranks[_group_rank_of(pg, rank, group_rank, what)]
    if peer == _state.rank:
        raise ValueError(f"Invalid {what} rank: {what} must not be this process's own rank")
    return peer, pair_group(_state.rank, peer)


def _check_tag(tag, name):
    if tag != 0:
        raise NotImplementedError(f"mstorch: torch.distributed.{name} with tag={tag} is not supported (only 0): "
                                  "messages between two ranks arrive in the order they were sent")


def send(tensor, dst=None, group=None, tag=0, group_dst=None):
    _check_tensor(tensor, "tensor")
    _check_tag(tag, "send")
    peer, pair = _peer(group, dst, group_dst, "dst", "send")
    if pair is not None:
        T._c10d_send(tensor, pair._ranks.index(peer), pair._ms_name)


def recv(tensor, src=None, group=None, tag=0, group_src=None):
    _check_tensor(tensor, "tensor")
    _check_tag(tag, "recv")
    peer, pair = _peer(group, src, group_src, "src", "recv")
    if pair is None:
        return -1
    T._c10d_recv_(tensor, pair._ranks.index(peer), pair._ms_name)
    return peer if group is None else get_group_rank(_resolve(group), peer)


def isend(tensor, dst=None, group=None, tag=0, group_dst=None):
    send(tensor, dst, group, tag, group_dst)
    return Work([tensor])


def irecv(tensor, src=None, group=None, tag=0, group_src=None):
    recv(tensor, src, group, tag, group_src)
    return Work([tensor])
