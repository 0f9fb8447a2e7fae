"""With torch.distributed available, libraries import more of it at module level (transformers' Trainer,
peft, accelerate): those names exist, describe what they can (placements, a finished tensor's wait) as
PyTorch does, and the sharded-parallelism APIs behind them raise naming themselves when used."""
import importlib

import pytest
import torch.distributed.tensor.placement_types as torch_placements

from childproc import PROGRAMS, mstorch

_MS = "mstorch.impl.torch.distributed."


def _ours(module):
    return importlib.import_module(_MS + module)


def test_libraries_import_with_distributed_available():
    proc = mstorch(str(PROGRAMS.parent / "distributed" / "programs" / "import_libraries.py"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("imported True")


def test_shard_sizes_and_offsets_like_torch():
    ours = _ours("tensor.placement_types").Shard
    for size in range(0, 12):
        for chunks in range(1, 5):
            for rank in range(chunks):
                assert ours.local_shard_size_and_offset(size, chunks, rank) == \
                    torch_placements.Shard.local_shard_size_and_offset(size, chunks, rank), (size, chunks, rank)


def test_placements_compare_like_torch():
    p = _ours("tensor.placement_types")
    assert p.Shard(1) == p.Shard(1) and p.Shard(0) != p.Shard(1) and p.Replicate() == p.Replicate()
    assert p.Shard(1).is_shard() and p.Shard(1).is_shard(1) and not p.Shard(1).is_shard(0)
    assert p.Partial().is_partial() and not p.Replicate().is_shard()
    assert repr(p.Shard(2)) == repr(torch_placements.Shard(2))


def test_wait_tensor_returns_the_finished_tensor():
    t = object()
    assert _ours("_functional_collectives").wait_tensor(t) is t


@pytest.mark.parametrize("module, name, args", [
    ("algorithms.join", "Join", ([],)),
    ("device_mesh", "DeviceMesh", ("cpu", [0, 1])),
    ("device_mesh", "init_device_mesh", ("cpu", (2,))),
    ("tensor", "distribute_tensor", (None,)),
    ("tensor._utils", "compute_local_shape_and_global_offset", ((4,), None, ())),
    ("_functional_collectives", "all_to_all_single_autograd", (None, None, None, None)),
    ("fsdp.wrap", "transformer_auto_wrap_policy", ()),
    ("fsdp.sharded_grad_scaler", "ShardedGradScaler", ()),
    ("_composable.fsdp", "fully_shard", (None,)),
])
def test_sharded_parallelism_apis_raise_naming_themselves(module, name, args):
    with pytest.raises(NotImplementedError, match=name):
        getattr(_ours(module), name)(*args)
