"""DistributedSampler: the indices of every rank equal PyTorch's for the same dataset size,
num_replicas, rank, shuffle, seed, epoch and drop_last (explicit num_replicas/rank: no process group)."""
import itertools

import pytest
import torch

from mstorch.impl.torch.utils.data.distributed import DistributedSampler

torch.set_num_threads(1)
SIZES = [1, 5, 7, 16, 33, 100, 1000]


@pytest.mark.parametrize("n,replicas", list(itertools.product(SIZES, [1, 2, 3, 4, 8])))
def test_indices_match_pytorch(n, replicas):
    data = list(range(n))
    for shuffle, drop_last, seed, epoch in itertools.product([True, False], [True, False], [0, 3], [0, 1, 7]):
        for rank in range(replicas):
            theirs = torch.utils.data.distributed.DistributedSampler(
                data, num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
            ours = DistributedSampler(data, num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed,
                                      drop_last=drop_last)
            theirs.set_epoch(epoch)
            ours.set_epoch(epoch)
            case = (n, replicas, rank, shuffle, drop_last, seed, epoch)
            assert list(ours) == list(theirs), case
            assert len(ours) == len(theirs), case


@pytest.mark.parametrize("rank", [-1, 2, 5])
def test_rank_outside_the_replicas_raises_as_pytorch(rank):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.distributed.DistributedSampler(range(4), num_replicas=2, rank=rank)
    with pytest.raises(ValueError) as ours:
        DistributedSampler(range(4), num_replicas=2, rank=rank)
    assert str(ours.value) == str(theirs.value)
