"""DataLoader workers stop as soon as the program stops iterating: after `break`, an
exception or KeyboardInterrupt in the loop body, `del` of the iterator; persistent workers
when the loader goes; and after a worker raised, was killed, or the `timeout` expired.

Workers are found without psutil: this process's children from /proc, compared before
and during the loop.  A worker counts as gone once it is no longer our child (exited and
reaped).  Every test runs under a time limit."""
import gc
import os
import signal
import time

import pytest

import mstorch
from tests.time_limit import time_limit

T = mstorch.torch
D = T.utils.data

# A worker told to stop exits at once; PyTorch gives a busy one (stuck in user code) 5 s
# before terminating it.
PROMPT_S = 1.0


@pytest.fixture(autouse=True)
def _limit():
    with time_limit(60):
        yield


def children():
    """Pids of this process's live children (any thread's), from /proc."""
    pids = set()
    me = os.getpid()
    for tid in os.listdir(f"/proc/{me}/task"):
        try:
            with open(f"/proc/{me}/task/{tid}/children") as fh:
                pids.update(int(p) for p in fh.read().split())
        except FileNotFoundError:
            pass
    return pids


def wait_gone(pids, within):
    """The pids still our children after `within` seconds (empty when all went in time)."""
    deadline = time.monotonic() + within
    while True:
        left = set(pids) & children()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


class Numbers(D.Dataset):
    def __len__(self):
        return 400

    def __getitem__(self, i):
        return T.full((3,), float(i)), os.getpid()


class FailsAt(Numbers):
    def __getitem__(self, i):
        if i == 9:
            raise ValueError("sample 9 is bad")
        return super().__getitem__(i)


class KilledAt(Numbers):
    def __getitem__(self, i):
        if i == 9:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().__getitem__(i)


class SlowAt(Numbers):
    def __getitem__(self, i):
        if i >= 4:
            time.sleep(2.0)     # past the loader's 1 s timeout, and short so the worker ends soon after
        return super().__getitem__(i)


def _loader(ds=None, **kw):
    return D.DataLoader(ds or Numbers(), batch_size=2, num_workers=2, **kw)


def _workers_during(loop):
    """Run `loop(note)`; `note()` called inside it records the workers alive then."""
    before = children()
    seen = set()

    def note():
        seen.update(children() - before)
    loop(note)
    return seen


def test_break_stops_workers():
    def loop(note):
        for i, _ in enumerate(_loader()):
            note()
            if i == 2:
                break
    workers = _workers_during(loop)
    assert len(workers) == 2
    assert not wait_gone(workers, PROMPT_S)


@pytest.mark.parametrize("exc", [ValueError, KeyboardInterrupt])
def test_exception_in_loop_body_stops_workers(exc):
    def loop(note):
        with pytest.raises(exc):
            for i, _ in enumerate(_loader()):
                note()
                if i == 2:
                    raise exc("stop")
    workers = _workers_during(loop)
    assert len(workers) == 2
    assert not wait_gone(workers, PROMPT_S)


def test_del_of_the_iterator_stops_workers():
    it = iter(_loader())
    batch, pids = next(it)
    workers = {w.pid for w in it._workers}
    assert set(pids.tolist()) <= workers and workers <= children()
    del it
    assert not wait_gone(workers, PROMPT_S)


def test_iterator_dropped_inside_a_reference_cycle_goes_with_the_collector():
    it = iter(_loader())
    next(it)
    workers = {w.pid for w in it._workers}
    holder = {"it": it}
    holder["self"] = holder         # the cycle keeps the iterator until gc runs
    del it, holder
    gc.collect()
    assert not wait_gone(workers, PROMPT_S)


def test_persistent_workers_live_with_the_loader():
    dl = _loader(persistent_workers=True)
    first = set()
    for i, (_, pids) in enumerate(dl):
        first.update(pids.tolist())
        if i == 3:
            break
    workers = {w.pid for w in dl._iterator._workers}
    assert first <= workers and workers <= children()          # still there for the next epoch
    with pytest.raises(KeyError):
        for i, (_, pids) in enumerate(dl):
            assert set(pids.tolist()) <= workers                # the same processes serve it
            if i == 2:
                raise KeyError("stop")
    assert workers <= children()
    assert len(list(dl)) == 200                                 # a full epoch after both aborts
    del dl
    assert not wait_gone(workers, PROMPT_S)


def test_worker_error_is_reraised_and_workers_stop():
    def loop(note):
        with pytest.raises(ValueError) as err:
            for _ in _loader(FailsAt()):
                note()
        msg = str(err.value)
        assert "Caught ValueError in DataLoader worker process" in msg
        assert "Original Traceback (most recent call last):" in msg and "sample 9 is bad" in msg
        assert "__getitem__" in msg
        # As in PyTorch, the traceback's frames hold the iterator, so it (and its workers)
        # lives while the exception is kept; a program drops it leaving its except block.
        del err
    workers = _workers_during(loop)
    assert len(workers) == 2
    assert not wait_gone(workers, PROMPT_S)


def test_killed_worker_is_reported_and_the_rest_stop():
    def loop(note):
        with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid (\d+)\) is killed by signal: Killed") as err:
            for _ in _loader(KilledAt()):
                note()
        loop.killed = int(err.value.args[0].split("pid ")[1].split(")")[0])
    workers = _workers_during(loop)
    assert loop.killed in workers
    assert not wait_gone(workers, PROMPT_S)


def test_timeout_raises_and_workers_stop():
    def loop(note):
        it = iter(_loader(SlowAt(), timeout=1))
        note()
        start = time.monotonic()
        with pytest.raises(RuntimeError, match="DataLoader timed out after 1 seconds"):
            for _ in it:
                note()
        assert time.monotonic() - start < 10
        del it
    workers = _workers_during(loop)
    assert len(workers) == 2
    # The workers were inside a 2 s __getitem__ when the iterator went: they finish it, see
    # the stop and exit (PyTorch would terminate one still busy after 5 s).
    assert not wait_gone(workers, 2.0 + PROMPT_S)
