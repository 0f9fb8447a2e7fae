"""Datasets, random_split and samplers vs real torch: same seed, same indices."""
import warnings

import pytest
import torch
import torch.utils.data as TD

import mstorch

T = mstorch.torch
D = T.utils.data


def both(seed):
    T.manual_seed(seed)
    torch.manual_seed(seed)


@pytest.mark.parametrize("seed", [0, 1, 1234])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_random_sampler_default_generator(seed, n):
    both(seed)
    for _ in range(2):  # two epochs: the default stream advances the same way
        assert list(D.RandomSampler(range(n))) == list(TD.RandomSampler(range(n)))
    assert T.randint(0, 1000, (3,)).tolist() == torch.randint(0, 1000, (3,)).tolist()


@pytest.mark.parametrize("kw", [dict(replacement=True), dict(replacement=True, num_samples=70),
                                dict(num_samples=25), dict(num_samples=3)])
def test_random_sampler_options_with_generator(kw):
    g, tg = T.Generator().manual_seed(7), torch.Generator().manual_seed(7)
    ours = D.RandomSampler(range(10), generator=g, **kw)
    theirs = TD.RandomSampler(range(10), generator=tg, **kw)
    assert len(ours) == len(theirs)
    assert list(ours) == list(theirs)
    assert list(ours) == list(theirs)


def test_random_sampler_errors():
    with pytest.raises(TypeError, match="replacement should be a boolean"):
        D.RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        D.RandomSampler(range(3), num_samples=0)


def test_subset_random_and_weighted_samplers():
    both(3)
    assert list(D.SubsetRandomSampler([5, 9, 11, 2])) == list(TD.SubsetRandomSampler([5, 9, 11, 2]))
    w = [0.1, 0.9, 0.4, 0.0, 2.0]
    for repl in (True, False):
        g, tg = T.Generator().manual_seed(11), torch.Generator().manual_seed(11)
        ours = list(D.WeightedRandomSampler(w, 4, replacement=repl, generator=g))
        assert ours == list(TD.WeightedRandomSampler(w, 4, replacement=repl, generator=tg))
    with pytest.raises(ValueError, match="weights should be a 1d sequence"):
        D.WeightedRandomSampler([[1.0]], 2)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        D.WeightedRandomSampler([1.0], 0)


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("bs", [1, 3, 10, 11])
def test_batch_sampler(drop_last, bs):
    ours = D.BatchSampler(D.SequentialSampler(range(10)), bs, drop_last)
    theirs = TD.BatchSampler(TD.SequentialSampler(range(10)), bs, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)


def test_batch_sampler_errors():
    for bad in (0, True, 1.5):
        with pytest.raises(ValueError, match="batch_size should be a positive integer"):
            D.BatchSampler(range(3), bad, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        D.BatchSampler(range(3), 2, 0)


@pytest.mark.parametrize("n,replicas,shuffle,drop_last", [(10, 3, True, False), (10, 3, False, False),
                                                         (10, 3, True, True), (2, 5, True, False), (12, 4, True, True)])
def test_distributed_sampler(n, replicas, shuffle, drop_last):
    for rank in range(replicas):
        for epoch in (0, 1):
            ours = D.DistributedSampler(range(n), replicas, rank, shuffle=shuffle, seed=5, drop_last=drop_last)
            theirs = TD.DistributedSampler(range(n), replicas, rank, shuffle=shuffle, seed=5, drop_last=drop_last)
            ours.set_epoch(epoch)
            theirs.set_epoch(epoch)
            assert list(ours) == list(theirs) and len(ours) == len(theirs)
    with pytest.raises(ValueError, match="Invalid rank 3"):
        D.DistributedSampler(range(n), 3, 3)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.5, 0.25, 0.25], [0.33, 0.33, 0.34], [10]])
@pytest.mark.parametrize("seed", [0, 42])
def test_random_split_matches_torch(lengths, seed):
    both(seed)
    ours = D.random_split(range(10), lengths)
    theirs = TD.random_split(range(10), lengths)
    assert [list(s.indices) for s in ours] == [list(s.indices) for s in theirs]
    g, tg = T.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    ours = D.random_split(range(10), lengths, generator=g)
    theirs = TD.random_split(range(10), lengths, generator=tg)
    assert [list(s) for s in ours] == [list(s) for s in theirs]


def test_random_split_errors_and_warnings():
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        D.random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        D.random_split(range(10), [1.5, -0.5])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        D.random_split(range(1), [0.5, 0.5])
    assert any("Length of split at index 1 is 0" in str(x.message) for x in w)


class Squares(D.Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i


class Stream(D.IterableDataset):
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def test_datasets():
    x, y = T.arange(12.).reshape(6, 2), T.arange(6)
    ds = D.TensorDataset(x, y)
    assert len(ds) == 6 and ds[2][0].tolist() == [4.0, 5.0] and ds[2][1].item() == 2
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        D.TensorDataset(x, T.arange(5))
    cat = Squares(3) + Squares(4)
    assert isinstance(cat, D.ConcatDataset) and len(cat) == 7
    assert [cat[i] for i in range(7)] == [0, 1, 4, 0, 1, 4, 9] and cat[-1] == 9
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        cat[-8]
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        D.ConcatDataset([Stream([1])])
    chain = Stream([1, 2]) + Stream([3])
    assert isinstance(chain, D.ChainDataset) and list(chain) == [1, 2, 3] and len(chain) == 3
    sub = D.Subset(Squares(10), [9, 3, 1])
    assert len(sub) == 3 and sub[0] == 81 and sub.__getitems__([1, 2]) == [9, 1]
    st = D.StackDataset(Squares(3), Squares(3))
    assert st[2] == (4, 4) and len(st) == 3
    assert D.StackDataset(a=Squares(2), b=Squares(2))[1] == {"a": 1, "b": 1}
    assert D.StackDataset(a=Squares(2), b=Squares(2)).__getitems__([0, 1]) == [{"a": 0, "b": 0}, {"a": 1, "b": 1}]
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        D.StackDataset(Squares(2), Squares(3))
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement __getitem__"):
        D.Dataset()[0]
