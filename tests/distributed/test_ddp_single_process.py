"""DDP, SyncBatchNorm and the out-of-scope sharding APIs in one process (no process group), against real torch."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
torch.set_num_threads(1)


def test_ddp_without_a_process_group_raises_as_pytorch():
    with pytest.raises(ValueError) as theirs:
        torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError) as ours:
        T.nn.parallel.DistributedDataParallel(T.nn.Linear(2, 2))
    assert str(ours.value) == str(theirs.value)


def test_ddp_is_a_module_class():
    assert issubclass(T.nn.parallel.DistributedDataParallel, T.nn.Module)
    assert T.nn.parallel.DistributedDataParallel.__name__ == "DistributedDataParallel"


@pytest.mark.parametrize("kwargs,name", [
    ({"gradient_as_bucket_view": True}, "gradient_as_bucket_view"),
    ({"mixed_precision": object()}, "mixed_precision"),
    ({"skip_all_reduce_unused_params": True}, "skip_all_reduce_unused_params"),
    ({"batched_grad_copy": True}, "batched_grad_copy"),
])
def test_unsupported_ddp_arguments_are_named(kwargs, name):
    with pytest.raises(NotImplementedError, match=name):
        T.nn.parallel.DistributedDataParallel(T.nn.Linear(2, 2), **kwargs)


def test_fsdp_and_zero_say_they_are_out_of_scope():
    from mstorch.impl.torch.distributed import fsdp as ours_fsdp
    from mstorch.impl.torch.distributed import optim as ours_optim
    for make in (lambda: ours_fsdp.FullyShardedDataParallel(T.nn.Linear(2, 2)),
                 lambda: ours_fsdp.fully_shard(T.nn.Linear(2, 2)),
                 lambda: ours_optim.ZeroRedundancyOptimizer(T.nn.Linear(2, 2).parameters(), T.optim.SGD)):
        with pytest.raises(NotImplementedError, match="out of scope"):
            make()
    assert [m.name for m in ours_fsdp.ShardingStrategy] == [m.name for m in torch.distributed.fsdp.ShardingStrategy]


@pytest.mark.parametrize("training,track", [(True, True), (False, True), (True, False)])
def test_sync_batchnorm_alone_is_batchnorm(training, track):
    """Without a process group SyncBatchNorm falls back to BatchNorm, as PyTorch's does."""
    x = np.random.RandomState(0).randn(6, 3, 4, 4).astype("float32")
    results = []
    for lib in (torch, T):
        lib.manual_seed(0)
        m = lib.nn.SyncBatchNorm(3, momentum=None if track else 0.1, track_running_stats=track)
        m.train(training)
        xt = lib.from_numpy(x.copy()).requires_grad_()
        for _ in range(2):
            out = m(xt)
        out.square().sum().backward()
        results.append([out.detach().numpy(), xt.grad.numpy(), m.weight.grad.numpy()]
                       + ([m.running_mean.numpy(), m.running_var.numpy(), m.num_batches_tracked.numpy()]
                          if track else []))
    for a, b in zip(*results):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-5)


def test_convert_sync_batchnorm_shares_parameters_and_buffers():
    model = T.nn.Sequential(T.nn.Conv2d(3, 4, 1), T.nn.BatchNorm2d(4), T.nn.Sequential(T.nn.BatchNorm1d(5)))
    bn = model[1]
    converted = T.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    assert type(converted[1]).__name__ == "SyncBatchNorm" and type(converted[2][0]).__name__ == "SyncBatchNorm"
    assert converted[1].weight is bn.weight and converted[1].running_mean is bn.running_mean
    theirs = torch.nn.SyncBatchNorm.convert_sync_batchnorm(
        torch.nn.Sequential(torch.nn.Conv2d(3, 4, 1), torch.nn.BatchNorm2d(4), torch.nn.Sequential(torch.nn.BatchNorm1d(5))))
    assert list(converted.state_dict()) == list(theirs.state_dict())
    assert repr(converted) == repr(theirs)
