"""Dataset, IterableDataset, Sampler, DataLoader are typing generics as in PyTorch."""
import collections.abc
import typing

import mstorch.torch as T

D = T.utils.data


def test_subscriptable_and_subclassable():
    class Squares(D.Dataset[int]):
        def __getitem__(self, i):
            return i * i

        def __len__(self):
            return 3

    class Stream(D.IterableDataset[int]):
        def __iter__(self):
            return iter(range(3))

    class Everything(D.Sampler[int]):
        def __iter__(self):
            return iter(range(3))

    assert typing.get_args(D.Dataset[int]) == (int,)
    assert typing.get_origin(D.DataLoader[int]) is D.DataLoader
    assert typing.get_origin(D.IterableDataset[str]) is D.IterableDataset
    assert [int(b) for b in D.DataLoader(Squares(), sampler=Everything())] == [0, 1, 4]
    assert [int(b) for b in D.DataLoader(Stream())] == [0, 1, 2]
    assert isinstance(Stream(), collections.abc.Iterable)
    assert issubclass(D.BatchSampler, D.Sampler) and issubclass(D.TensorDataset, D.Dataset)
