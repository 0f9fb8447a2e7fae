"""DataLoader: single-process and multi-process (real worker processes) iteration with
PyTorch's argument rules, seeding, ordering, error reporting and shutdown.

Worker processes are forked by default, as in PyTorch.  A forked worker never calls
MindSpore (docs/design-notes.md, "Forked processes"): the tensors it can reach are rebound to
NumPy right after the fork (dispatch/forksafe.py) and everything it creates is a host
tensor.  Its batches reach the parent as NumPy buffers that become MindSpore-backed
tensors without another copy (see _worker.py for the wire format).
"""
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
import warnings
from typing import Generic

from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.utils.data import _worker
from mstorch.impl.torch.utils.data._collate import default_collate, default_convert
from mstorch.impl.torch.utils.data._fetch import create_fetcher
from mstorch.impl.torch.utils.data.dataset import IterableDataset
from mstorch.impl.torch.utils.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _T_co

# How long the main process waits on its workers before checking that they still live.
_LIVENESS_INTERVAL = 0.5


class _InfiniteConstantSampler(Sampler):
    """The sampler of an IterableDataset: the index carries no information."""

    def __iter__(self):
        while True:
            yield None


class DataLoader(Generic[_T_co]):
    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        elif num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if not in_order:
            raise NotImplementedError("mstorch: DataLoader(in_order=False) is not supported yet")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = "iterable"
            if shuffle not in {False, None}:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            elif sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            elif batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = "map"

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")

        if sampler is None:
            if self._dataset_kind == "iterable":
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    # ---- properties PyTorch exposes -----------------------------------------------
    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, ctx):
        if ctx is not None:
            if self.num_workers > 0:
                if isinstance(ctx, str):
                    valid = multiprocessing.get_all_start_methods()
                    if ctx not in valid:
                        raise ValueError("multiprocessing_context option should specify a valid start method in "
                                         f"{valid!r}, but got multiprocessing_context={ctx!r}")
                    if ctx == "forkserver":
                        raise NotImplementedError("mstorch: DataLoader(multiprocessing_context='forkserver') is "
                                                  "not supported yet; use 'fork' (default) or 'spawn'")
                    ctx = multiprocessing.get_context(ctx)
                if not isinstance(ctx, multiprocessing.context.BaseContext):
                    raise TypeError("multiprocessing_context option should be a valid context object or a string "
                                    f"specifying the start method, but got multiprocessing_context={ctx}")
            else:
                raise ValueError("multiprocessing_context can only be used with multi-process loading "
                                 f"(num_workers > 0), but got num_workers={self.num_workers}")
        self.__multiprocessing_context = ctx

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                           "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    # ---- iteration -----------------------------------------------------------------
    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    def __len__(self):
        if self._dataset_kind == "iterable":
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else -(-length // self.batch_size)
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self):
        if self.num_workers == 0:
            return
        try:
            cpus = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cpus = os.cpu_count()
        if cpus is not None and self.num_workers > cpus:
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. Our suggested "
                          f"max number of worker in current system is {cpus}, which is smaller than what this "
                          "DataLoader is going to create. Please be aware that excessive worker creation might get "
                          "DataLoader running slow or even freeze, lower the worker number to avoid potential "
                          "slowness/freeze if necessary.")


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._prefetch_factor = loader.prefetch_factor
        if loader.pin_memory:
            # PyTorch's answer on a machine without an accelerator: warn, keep pageable memory.
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.")
        self._pin_memory = False
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # Drawn before the sampler's own draw (the sampler is a lazy generator), as in PyTorch.
        self._base_seed = _draw_base_seed(loader.generator)
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0
        self._profile_name = f"enumerate(DataLoader)#{self.__class__.__name__}.__next__"

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError(f"{type(self).__name__}._next_data: each DataLoader iterator kind defines it")

    def __next__(self):
        if self._sampler_iter is None:
            self._reset()
        data = self._next_data()
        self._num_yielded += 1
        if (self._dataset_kind == "iterable" and self._IterableDataset_len_called is not None
                and self._num_yielded > self._IterableDataset_len_called):
            msg = (f"Length of IterableDataset {self._dataset} was reported to be "
                   f"{self._IterableDataset_len_called}(when accessing len(dataloader)), but {self._num_yielded} "
                   "samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                        "IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")
            warnings.warn(msg)
        return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled", self.__class__.__name__)


def _draw_base_seed(generator):
    # A function of its own, so that no frame of the iterator's __init__ (which holds the
    # iterator) is kept alive by anything the draw leaves behind (a caught exception's
    # traceback in a reference cycle): the iterator must die, and stop its workers, as soon
    # as the program drops it.
    return int(torch.empty((), dtype=torch.int64).random_(generator=generator).item())


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        assert self._timeout == 0
        assert self._num_workers == 0
        self._fetcher = create_fetcher(self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn,
                                       self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._fetcher.fetch(index)


def _dead_worker_error(w):
    code = w.exitcode
    if code is not None and code < 0:
        try:
            name = signal.strsignal(-code)
        except (ValueError, AttributeError):
            name = str(-code)
        return RuntimeError(f"DataLoader worker (pid {w.pid}) is killed by signal: {name}. ")
    return RuntimeError(f"DataLoader worker (pid {w.pid}) exited unexpectedly with exit code {code}. Details are "
                        "lost due to multiprocessing. Rerunning with num_workers=0 may give better error trace.")


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._shutdown = True  # until the workers exist
        self._owner_pid = os.getpid()
        ctx = loader.multiprocessing_context or multiprocessing.get_context("fork")
        forked = ctx.get_start_method() == "fork"
        self._worker_init_fn = loader.worker_init_fn
        self._workers_done_event = ctx.Event()
        self._index_queues = []
        self._conns = []
        self._workers = []
        roots = [self._dataset, self._collate_fn, self._worker_init_fn]
        if forked:
            from dispatch import forksafe
            forksafe.cache_host_aliases(roots)
        env_restore = self._spawn_env() if not forked else None
        try:
            for i in range(self._num_workers):
                index_queue = ctx.Queue()
                index_queue.cancel_join_thread()
                reader, writer = ctx.Pipe(duplex=False)
                w = ctx.Process(target=_worker.worker_loop,
                                args=(self._dataset_kind, self._dataset, index_queue, writer,
                                      self._workers_done_event, self._auto_collation, self._collate_fn,
                                      self._drop_last, self._base_seed, self._worker_init_fn, i, self._num_workers,
                                      forked, os.getpid()))
                w.daemon = True
                w.start()
                # Only the worker may hold the write end: its death then reads as EOF here.
                writer.close()
                self._index_queues.append(index_queue)
                self._conns.append(reader)
                self._workers.append(w)
        except BaseException:
            self._shutdown = False
            self._shutdown_workers()
            raise
        finally:
            if env_restore is not None:
                env_restore()
        self._shutdown = False
        self._reset(loader, first_iter=True)

    @staticmethod
    def _spawn_env():
        """A spawned child is a fresh interpreter: it serves `torch` from mstorch when this
        process does, through the start-up hook that MSTORCH_ENABLE turns on."""
        import mstorch
        if not mstorch.is_enabled():
            return None
        old = os.environ.get("MSTORCH_ENABLE")
        os.environ["MSTORCH_ENABLE"] = "1"

        def restore():
            if old is None:
                os.environ.pop("MSTORCH_ENABLE", None)
            else:
                os.environ["MSTORCH_ENABLE"] = old
        return restore

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            # Persistent workers: flush what the previous epoch left in flight, then go on.
            for q in self._index_queues:
                q.put(_worker._ResumeIteration())
            pending = set(range(self._num_workers))
            while pending:
                wid, (idx, _) = self._get_data(only=pending)
                if isinstance(idx, _worker._ResumeIteration):
                    pending.discard(wid)
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        assert self._tasks_outstanding < self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            wid = next(self._worker_queue_idx_cycle)
            if self._workers_status[wid]:
                break
        else:
            return
        self._index_queues[wid].put((self._send_idx, index))
        self._task_info[self._send_idx] = (wid,)
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _get_data(self, only=None):
        """(worker id, message) of the next message from any live worker; raises when a
        worker died, or when `timeout` passed."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            wids = [i for i in range(self._num_workers)
                    if (only is None and self._workers_status[i]) or (only is not None and i in only)]
            conns = {self._conns[i]: i for i in wids}
            sentinels = {self._workers[i].sentinel: i for i in wids}
            wait = _LIVENESS_INTERVAL if deadline is None else max(0.0, min(_LIVENESS_INTERVAL,
                                                                             deadline - time.monotonic()))
            ready = multiprocessing.connection.wait(list(conns) + list(sentinels), timeout=wait)
            for obj in ready:
                if obj in conns:
                    wid = conns[obj]
                    try:
                        return wid, _worker.recv_result(obj)
                    except (EOFError, OSError):
                        self._fail(wid)
            for obj in ready:
                if obj in sentinels:
                    wid = sentinels[obj]
                    # Data it sent before dying is still readable; read that first.
                    if self._conns[wid].poll():
                        try:
                            return wid, _worker.recv_result(self._conns[wid])
                        except (EOFError, OSError):
                            pass
                    self._fail(wid)
            if not wids:
                raise RuntimeError("DataLoader has no live worker left to wait on")
            if deadline is not None and time.monotonic() >= deadline:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _fail(self, wid):
        w = self._workers[wid]
        w.join(timeout=1.0)
        err = _dead_worker_error(w)
        self._workers_status[wid] = False
        self._shutdown_workers()
        raise err

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info is not None:
                    wid = info[0]
                    if len(info) == 2 or self._workers_status[wid]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:
                data = self._task_info.pop(self._rcvd_idx)[1]
                return self._process_data(data)
            assert not self._shutdown and self._tasks_outstanding > 0
            _, (idx, data) = self._get_data()
            self._tasks_outstanding -= 1
            if self._dataset_kind == "iterable" and isinstance(data, _worker._IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                self._task_info[idx] += (data,)
            else:
                del self._task_info[idx]
                return self._process_data(data)

    def _process_data(self, data):
        self._rcvd_idx += 1
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    def _mark_worker_as_unavailable(self, wid, shutdown=False):
        assert self._workers_status[wid] or (self._persistent_workers and shutdown)
        self._index_queues[wid].put(None)
        self._workers_status[wid] = False

    def _shutdown_workers(self):
        """Stop and reap every worker.  Each step is tried whatever an earlier one raised: an
        iterator torn down half-way (by the collector, at interpreter exit, after a worker
        died) must still end its processes, so no error here may skip the terminate/kill."""
        if self._shutdown:
            return
        self._shutdown = True
        self._workers_status = [False] * self._num_workers
        if os.getpid() != self._owner_pid:
            # A forked copy of this iterator (inside another loader's worker, or a user's
            # fork) does not own these workers; its done event would stop the real owner's.
            return
        _quietly(self._workers_done_event.set)
        for q in self._index_queues:
            _quietly(q.put, None)
        # Closing our read ends unblocks a worker stuck writing a large batch.
        for c in self._conns:
            _quietly(c.close)
        deadline = time.monotonic() + _worker.STATUS_CHECK_INTERVAL
        for w in self._workers:
            _quietly(w.join, max(0.0, deadline - time.monotonic()))
        for w in self._workers:
            if _alive(w):
                _quietly(w.terminate)
                _quietly(w.join, 1.0)
            if _alive(w):
                _quietly(w.kill)
                _quietly(w.join, 5.0)
        for q in self._index_queues:
            _quietly(q.close)

    def __del__(self, _finalizing=sys.is_finalizing):
        # At interpreter exit multiprocessing's own exit handler has already ended the
        # (daemonic) workers, and module globals may be gone: nothing to do then.
        if "_owner_pid" in self.__dict__ and not _finalizing():    # __init__ got far enough to own anything
            self._shutdown_workers()


def _quietly(step, *args):
    """Run one shutdown step; a resource already gone (closed pipe, reaped process) is fine."""
    try:
        step(*args)
    except (OSError, ValueError, AssertionError):
        pass


def _alive(w):
    try:
        return w.is_alive()
    except (OSError, ValueError, AssertionError):
        return False


__all__ = ["DataLoader", "get_worker_info"]
get_worker_info = _worker.get_worker_info


class _DatasetKind:
    Map = "map"
    Iterable = "iterable"
