"""DataLoader: single process vs real worker processes, PyTorch's shuffles and seeds,
errors from workers, dead workers, shutdown.  Every test runs under signal.alarm, so a
hang fails the test instead of stalling the suite."""
import os
import signal
import time
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as TD

import mstorch

T = mstorch.torch
D = T.utils.data


@pytest.fixture(autouse=True)
def time_limit():
    def on_alarm(signum, frame):
        raise TimeoutError("test exceeded its time limit (a DataLoader hang?)")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(90)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def as_lists(batches):
    def conv(x):
        if isinstance(x, T.Tensor):
            return (str(x.dtype), tuple(x.shape), x.tolist())
        if isinstance(x, dict):
            return {k: conv(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return type(x)(conv(v) for v in x)
        return x
    return [conv(b) for b in batches]


class Records(D.Dataset):
    """Samples of mixed types, made in the worker (host tensors there)."""

    def __len__(self):
        return 23

    def __getitem__(self, i):
        return {"x": T.full((2, 3), float(i)) * 2 + 1, "y": i, "name": f"s{i}", "arr": np.arange(3) + i,
                "w": float(i) / 2}


class Raises(D.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError("sample 5 is bad")
        return i


class Kills(D.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return i


class Slow(D.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        # Far longer than the 1 s timeout even when forking and start-up are slow on a
        # loaded machine (the worker is terminated at shutdown).
        time.sleep(30)
        return i


class Info(D.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        info = D.get_worker_info()
        return (info.id, info.num_workers, info.seed, info.dataset is self, T.initial_seed(),
                int(np.random.randint(2**31)), os.getpid())


@pytest.mark.parametrize("kw", [dict(batch_size=4), dict(batch_size=4, drop_last=True), dict(batch_size=1),
                                dict(batch_size=None), dict(batch_size=5, prefetch_factor=1)])
def test_workers_equal_single_process(kw):
    ds = Records()
    ref = as_lists(D.DataLoader(ds, **{k: v for k, v in kw.items() if k != "prefetch_factor"}))
    got = list(D.DataLoader(ds, num_workers=2, **kw))
    assert as_lists(got) == ref
    # Batches arrive in the parent as MindSpore-backed tensors.
    first = got[0]["x"]
    assert type(first._data) is not np.ndarray
    assert (first + 1).tolist() == (T.full(tuple(first.shape), 0.0) + first + 1).tolist()


def test_tensor_dataset_made_in_parent():
    x = T.arange(40.).reshape(20, 2) * 3
    y = T.arange(20)
    ds = D.TensorDataset(x, y)
    ref = as_lists(D.DataLoader(ds, batch_size=3))
    assert as_lists(D.DataLoader(ds, batch_size=3, num_workers=2)) == ref
    # In the worker the parent's tensors are host tensors: no MindSpore call there.
    seen = []

    def collate(batch):
        seen.append(type(x._data).__name__)
        return (type(ds.tensors[0]._data).__name__, type(batch[0][0]._data).__name__,
                D.default_collate(batch))
    out = list(D.DataLoader(ds, batch_size=4, num_workers=2, collate_fn=collate))
    assert {o[0] for o in out} == {"ndarray"} and {o[1] for o in out} == {"ndarray"}
    assert as_lists([o[2] for o in out]) == as_lists(D.DataLoader(ds, batch_size=4))
    assert seen == []  # collate ran in the workers only
    assert type(x._data) is not np.ndarray  # the parent's tensor is untouched


class Normalize:
    def __init__(self, mean):
        self.mean = mean

    def __call__(self, t):
        return (t - self.mean) / 2


class Transformed(D.Dataset):
    def __init__(self, base, transform):
        self.base, self.transform = base, transform

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        return self.transform(self.base[i][0])


def test_transform_with_parent_tensor():
    base = D.TensorDataset(T.arange(30.).reshape(10, 3))
    ds = Transformed(base, Normalize(T.tensor([1.0, 2.0, 3.0])))
    assert as_lists(D.DataLoader(ds, batch_size=4, num_workers=2)) == as_lists(D.DataLoader(ds, batch_size=4))


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("workers", [0, 2])
def test_shuffle_order_matches_torch(seed, workers):
    T.manual_seed(seed)
    ours = [b.tolist() for b in D.DataLoader(list(range(37)), batch_size=5, shuffle=True,
                                             num_workers=workers)]
    ours2 = [b.tolist() for b in D.DataLoader(list(range(37)), batch_size=5, shuffle=True, num_workers=workers)]
    torch.manual_seed(seed)
    theirs = [b.tolist() for b in TD.DataLoader(list(range(37)), batch_size=5, shuffle=True)]
    theirs2 = [b.tolist() for b in TD.DataLoader(list(range(37)), batch_size=5, shuffle=True)]
    assert (ours, ours2) == (theirs, theirs2)
    assert T.randint(0, 10**6, (2,)).tolist() == torch.randint(0, 10**6, (2,)).tolist()


def test_generator_argument_matches_torch():
    g, tg = T.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    ours = [b.tolist() for b in D.DataLoader(list(range(20)), batch_size=6, shuffle=True, generator=g)]
    theirs = [b.tolist() for b in TD.DataLoader(list(range(20)), batch_size=6, shuffle=True, generator=tg)]
    assert ours == theirs


def test_worker_info_and_seeds():
    assert D.get_worker_info() is None
    T.manual_seed(5)
    out = [b for b in D.DataLoader(Info(), batch_size=None, num_workers=2)]
    torch.manual_seed(5)
    base = torch.empty((), dtype=torch.int64).random_().item()
    from torch.utils.data._utils.worker import _generate_state
    for i, (wid, nw, seed, is_ds, tseed, np0, pid) in enumerate(out):
        assert wid == i % 2 and nw == 2 and is_ds
        assert seed == base + wid == tseed
        assert i >= 2 or np0 == np.random.RandomState(_generate_state(base, wid)).randint(2**31)
    assert len({o[-1] for o in out}) == 2 and os.getpid() not in {o[-1] for o in out}


def test_worker_init_fn():
    def init(wid):
        info = D.get_worker_info()
        info.dataset.tag = f"w{wid}"
        np.random.seed(100 + wid)

    class Tagged(D.Dataset):
        tag = "parent"

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return self.tag, int(np.random.randint(1000))
    out = list(D.DataLoader(Tagged(), batch_size=None, num_workers=2, worker_init_fn=init))
    assert [o[0] for o in out] == ["w0", "w1", "w0", "w1"]
    assert out[0][1] == np.random.RandomState(100).randint(1000)


def test_worker_exception_reraised():
    with pytest.raises(ValueError) as err:
        list(D.DataLoader(Raises(), batch_size=2, num_workers=2))
    msg = str(err.value)
    assert "Caught ValueError in DataLoader worker process 0." in msg
    assert "Original Traceback (most recent call last):" in msg and "sample 5 is bad" in msg
    assert "__getitem__" in msg


def test_worker_init_exception_and_key_error():
    def init(wid):
        raise KeyError("init failed")
    with pytest.raises(KeyError) as err:
        list(D.DataLoader(list(range(4)), num_workers=1, worker_init_fn=init))
    assert "Caught KeyError in DataLoader worker process 0" in str(err.value)


def test_killed_worker_reported():
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid \d+\) is killed by signal: Killed"):
        list(D.DataLoader(Kills(), batch_size=2, num_workers=2))
    assert time.monotonic() - start < 30


def test_timeout():
    with pytest.raises(RuntimeError, match="DataLoader timed out after 1 seconds"):
        next(iter(D.DataLoader(Slow(), num_workers=1, timeout=1)))


def test_clean_shutdown_when_iterator_deleted():
    it = iter(D.DataLoader(list(range(100)), batch_size=2, num_workers=2))
    next(it)
    pids = [w.pid for w in it._workers]
    del it
    import gc
    gc.collect()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


def test_workers_exit_at_end_of_epoch():
    it = iter(D.DataLoader(list(range(10)), batch_size=3, num_workers=2))
    list(it)
    assert all(not w.is_alive() for w in it._workers)


def test_persistent_workers_two_epochs():
    dl = D.DataLoader(Info(), batch_size=None, num_workers=2, persistent_workers=True)
    e1, e2 = list(dl), list(dl)
    assert [o[:4] for o in e1] == [o[:4] for o in e2]
    assert {o[-1] for o in e1} == {o[-1] for o in e2}  # same worker processes
    # Breaking out of an epoch early leaves work in flight; the next epoch starts clean.
    it = iter(dl)
    next(it)
    assert [o[0] for o in list(dl)] == [0, 1, 0, 1, 0, 1]
    workers = dl._iterator._workers
    del dl, it
    import gc
    gc.collect()
    for w in workers:
        w.join(10)
        assert not w.is_alive()


def test_persistent_shuffle_epochs_match_torch():
    T.manual_seed(9)
    dl = D.DataLoader(list(range(12)), batch_size=4, shuffle=True, num_workers=2, persistent_workers=True)
    ours = [[b.tolist() for b in dl] for _ in range(2)]
    # Persistent workers keep their seeds: the base seed is drawn once, the sampler's
    # seed every epoch.
    torch.manual_seed(9)
    torch.empty((), dtype=torch.int64).random_()
    theirs = [[b for b in TD.BatchSampler(TD.RandomSampler(range(12)), 4, False)] for _ in range(2)]
    assert ours == theirs


class Counting(D.IterableDataset):
    def __init__(self, n, split):
        self.n, self.split = n, split

    def __iter__(self):
        info = D.get_worker_info()
        if self.split and info is not None:
            return iter(range(info.id, self.n, info.num_workers))
        return iter(range(self.n))

    def __len__(self):
        return self.n


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("bs", [None, 3])
def test_iterable_dataset_with_workers(split, bs):
    ds = Counting(7, split)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = [b if isinstance(b, int) else b.tolist() for b in D.DataLoader(ds, batch_size=bs, num_workers=2)]
    # What PyTorch yields: batches taken from the workers in turn, each worker iterating its copy.
    per_worker = [list(range(w, 7, 2)) if split else list(range(7)) for w in range(2)]
    chunks = [[c[i:i + (bs or 1)] for i in range(0, len(c), bs or 1)] for c in per_worker]
    want = []
    for i in range(max(len(c) for c in chunks)):
        for c in chunks:
            if i < len(c):
                want.append(c[i] if bs else c[i][0])
    assert got == want


def test_iterable_len_and_warning():
    dl = D.DataLoader(Counting(7, False), batch_size=3)
    assert len(dl) == 3
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert len(list(D.DataLoader(Counting(7, False), batch_size=None))) == 7
        dl = D.DataLoader(Counting(4, False), batch_size=None, num_workers=2)
        len(dl)
        list(dl)
    assert any("Length of IterableDataset" in str(x.message) and "multiprocessing" in str(x.message) for x in w)


def test_len_map_style():
    assert len(D.DataLoader(list(range(10)), batch_size=3)) == 4
    assert len(D.DataLoader(list(range(10)), batch_size=3, drop_last=True)) == 3
    assert len(D.DataLoader(list(range(10)), batch_size=None)) == 10


def test_pin_memory_accepted():
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        out = list(D.DataLoader(list(range(4)), batch_size=2, pin_memory=True, num_workers=1))
    assert [b.tolist() for b in out] == [[0, 1], [2, 3]]


def test_argument_errors_like_torch():
    ds = list(range(4))
    cases = [dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2), dict(persistent_workers=True),
             dict(sampler=D.SequentialSampler(ds), shuffle=True), dict(batch_sampler=[[0]], batch_size=2),
             dict(batch_size=None, drop_last=True), dict(multiprocessing_context="fork"),
             dict(num_workers=1, multiprocessing_context="nope")]
    for kw in cases:
        tkw = {k: (TD.SequentialSampler(ds) if k == "sampler" else v) for k, v in kw.items()}
        with pytest.raises(ValueError) as theirs:
            TD.DataLoader(ds, **tkw)
        with pytest.raises(ValueError) as ours:
            D.DataLoader(ds, **kw)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        D.DataLoader(Counting(3, False), shuffle=True)
    dl = D.DataLoader(ds)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        dl.batch_size = 3


def test_batch_sampler_and_collate_fn():
    dl = D.DataLoader(list(range(10)), batch_sampler=[[3, 1], [0, 9, 8]], collate_fn=lambda b: sum(b),
                      num_workers=2)
    assert list(dl) == [4, 17]
    dl = D.DataLoader(list(range(6)), sampler=D.SubsetRandomSampler([1, 2, 3], generator=T.Generator().manual_seed(1)),
                      batch_size=2)
    assert sorted(sum((b.tolist() for b in dl), [])) == [1, 2, 3]


class Spawnable(D.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return T.tensor([i, i * 2]), D.get_worker_info().id


def test_spawn_context():
    dl = D.DataLoader(Spawnable(), batch_size=2, num_workers=2, multiprocessing_context="spawn")
    assert as_lists(dl) == [[("torch.int64", (2, 2), [[0, 0], [1, 2]]), ("torch.int64", (2,), [0, 0])],
                            [("torch.int64", (2, 2), [[2, 4], [3, 6]]), ("torch.int64", (2,), [1, 1])],
                            [("torch.int64", (2, 2), [[4, 8], [5, 10]]), ("torch.int64", (2,), [0, 0])]]
