"""Collectives: the ops behind torch.distributed (mstorch/impl/torch/distributed/).

Each writes its results into its `Tensor(a!)` arguments (dispatch/written_args.py), as
PyTorch's collectives do. `group` is the MindSpore name of the process group and every
rank argument counts within that group (the Python layer translates global ranks). Kernels
are in ops_table/distributed/ms.py; the same functions are declared for Ascend and
GPU, where MindSpore's HCCL/NCCL serve the calls they make.

These ops need a process group, so the single-process parity suite cannot run them
(compare="collective"): tests/distributed/test_collectives.py checks every one on two
processes against the values PyTorch's collectives give.
"""
from ops_table.spec import op
from ops_table.samples import choice, sample, tensor
from . import ms


def _collective(schema, kernel):
    return op(schema, kernels={"default": getattr(ms, kernel)}, variants=(), namespaces=(), promote="none", backward="nondiff",
              samples=sample([tensor(), choice("sum"), choice("mccl_world_group")], dtypes=("float32",),
                             grad=False, method=False, compare="collective"))


ENTRIES = [
    _collective("_c10d_all_reduce_(Tensor(a!) self, str op, str group) -> ()", "all_reduce"),
    _collective("_c10d_broadcast_(Tensor(a!) self, int src, str group) -> ()", "broadcast"),
    _collective("_c10d_all_gather_(Tensor(a!)[] output, Tensor input, str group) -> ()", "all_gather"),
    _collective("_c10d_all_gather_into_tensor_(Tensor(a!) output, Tensor input, str group) -> ()",
                "all_gather_into_tensor"),
    _collective("_c10d_reduce_scatter_(Tensor(a!) output, Tensor[] input, str op, str group) -> ()",
                "reduce_scatter"),
    _collective("_c10d_reduce_scatter_tensor_(Tensor(a!) output, Tensor input, str op, str group) -> ()",
                "reduce_scatter_tensor"),
    _collective("_c10d_reduce_(Tensor(a!) self, int dst, str op, str group) -> ()", "reduce"),
    _collective("_c10d_gather_(Tensor(a!)[] output, Tensor input, int dst, str group) -> ()", "gather"),
    _collective("_c10d_scatter_(Tensor(a!) output, Tensor[] input, int src, str group) -> ()", "scatter"),
    _collective("_c10d_all_to_all_(Tensor(a!)[] output, Tensor[] input, str group) -> ()", "all_to_all"),
    _collective("_c10d_all_to_all_single_(Tensor(a!) output, Tensor input, int[]? output_split_sizes, "
                "int[]? input_split_sizes, str group) -> ()", "all_to_all_single"),
    # send writes nothing: it returns the number of bytes sent (the dispatcher wants a result).
    _collective("_c10d_send(Tensor self, int peer, str group) -> Tensor", "send"),
    _collective("_c10d_recv_(Tensor(a!) self, int peer, str group) -> ()", "recv"),
    _collective("_c10d_barrier_(Tensor(a!) token, str group) -> ()", "barrier"),
]
