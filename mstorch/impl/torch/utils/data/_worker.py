"""What runs inside a DataLoader worker process, and the wire format of its results.

Results travel over one pipe per worker (written only by that worker, the parent's copy
of the write end closed), so a worker that dies shows as EOF on its own pipe rather than
as a hang.  Arrays travel out of band (pickle protocol 5): the parent receives each one
straight into a fresh buffer and wraps it as a MindSpore-backed tensor without a
further copy.
"""
import os
import pickle
import queue
import random
import sys
import traceback

import numpy as np

from dispatch import Tensor

# How long the main process gives a busy worker to stop before terminating it (seconds),
# as PyTorch's MP_STATUS_CHECK_INTERVAL.
STATUS_CHECK_INTERVAL = 5.0
# How often an idle worker checks the done event and that its parent is still alive.
_DONE_CHECK_INTERVAL = 0.1

_worker_info = None


class WorkerInfo:
    __initialized = False

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        return super().__setattr__(key, val)

    def __repr__(self):
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


def get_worker_info():
    """The WorkerInfo of this DataLoader worker process, or None in the main process."""
    return _worker_info


class KeyErrorMessage(str):
    # KeyError's str() is the repr of its argument; this keeps the traceback readable.
    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process and raised there."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        # Raised straight from the call, never from a local variable: a frame of the
        # traceback holding its own exception is a cycle only gc frees, and those frames
        # hold the DataLoader iterator, whose workers would then outlive the exception.
        raise self._exception()

    def _exception(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            return self.exc_type(message=msg)
        try:
            return self.exc_type(msg)
        except Exception:
            return RuntimeError(msg)

    def __reduce__(self):
        # A class that cannot be pickled by reference (defined in a function) still
        # reaches the parent, as a RuntimeError carrying the same text.
        try:
            pickle.dumps(self.exc_type)
            exc_type = self.exc_type
        except Exception:
            exc_type = RuntimeError
        return (_rebuild_wrapper, (exc_type, self.exc_msg, self.where))


def _rebuild_wrapper(exc_type, exc_msg, where):
    w = ExceptionWrapper.__new__(ExceptionWrapper)
    w.exc_type, w.exc_msg, w.where = exc_type, exc_msg, where
    return w


class _ResumeIteration:
    """Sent to persistent workers at a new epoch; echoed back once older results are flushed."""


class _IterableDatasetStopIteration:
    def __init__(self, worker_id):
        self.worker_id = worker_id


# ---- wire format ------------------------------------------------------------------
def _rebuild_tensor(arr, dtype_name, requires_grad):
    from dispatch import dtypes as _dt
    from dispatch.pyapi import host_to_tensor
    t = host_to_tensor(arr, getattr(_dt, "bool_" if dtype_name == "bool" else dtype_name))
    if requires_grad:
        t.requires_grad_(True)
    return t


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            arr = np.ascontiguousarray(obj.detach()._host_view())
            return (_rebuild_tensor, (arr, obj._dtype.name, obj._requires_grad))
        return NotImplemented


def send_result(conn, obj):
    import io
    buffers = []
    out = io.BytesIO()
    _Pickler(out, protocol=5, buffer_callback=buffers.append).dump(obj)
    raws = [b.raw() for b in buffers]
    conn.send_bytes(pickle.dumps([r.nbytes for r in raws]))
    conn.send_bytes(out.getbuffer())
    for r in raws:
        conn.send_bytes(r)


def recv_result(conn):
    sizes = pickle.loads(conn.recv_bytes())
    payload = conn.recv_bytes()
    bufs = []
    for n in sizes:
        buf = bytearray(n)
        if n:
            conn.recv_bytes_into(buf)
        else:
            conn.recv_bytes()
        bufs.append(buf)
    return pickle.loads(payload, buffers=bufs)


# ---- seeding ---------------------------------------------------------------------
def numpy_seed_state(base_seed, worker_id):
    """NumPy's global seed in a worker: four 32-bit words from a SeedSequence over
    (worker_id, base_seed low/high words, 0), which is how PyTorch derives it."""
    mask = 0xFFFFFFFF
    entropy = [worker_id, base_seed & mask, base_seed >> 32, 0]
    return np.random.SeedSequence(entropy).generate_state(4)


# ---- the loop ----------------------------------------------------------------------
def worker_loop(dataset_kind, dataset, index_queue, result_conn, done_event, auto_collation, collate_fn,
                drop_last, base_seed, init_fn, worker_id, num_workers, forked, parent_pid):
    global _worker_info
    try:
        if forked:
            from dispatch import forksafe
            forksafe.rebind_to_host([dataset, collate_fn, init_fn])
        from mstorch.impl.torch._ns import torch
        from mstorch.impl.torch.utils.data._fetch import create_fetcher
        seed = base_seed + worker_id
        random.seed(seed)
        torch.manual_seed(seed)
        np.random.seed(numpy_seed_state(base_seed, worker_id))
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_exception = None
        fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(dataset_kind, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_exception = ExceptionWrapper(where=where)
        iteration_end = False
        while os.getppid() == parent_pid:
            try:
                r = index_queue.get(timeout=_DONE_CHECK_INTERVAL)
            except queue.Empty:
                if done_event.is_set():
                    # The stop (None) may never come: an iterator finalized by the collector
                    # loses its queues' feeder threads first.  The event needs no thread.
                    break
                continue
            if isinstance(r, _ResumeIteration):
                send_result(result_conn, (r, None))
                iteration_end = False
                if init_exception is None:
                    fetcher = create_fetcher(dataset_kind, dataset, auto_collation, collate_fn, drop_last)
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_end:
                continue
            idx, index = r
            if init_exception is not None:
                data, init_exception = init_exception, None
            else:
                try:
                    data = fetcher.fetch(index)
                except Exception as e:
                    if isinstance(e, StopIteration) and dataset_kind == "iterable":
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                    else:
                        data = ExceptionWrapper(where=where)
            try:
                send_result(result_conn, (idx, data))
            except (BrokenPipeError, ConnectionResetError):
                break
            except Exception:
                # The batch itself could not be sent (unpicklable): report that instead.
                send_result(result_conn, (idx, ExceptionWrapper(where=where)))
            del data, idx, index, r
    except KeyboardInterrupt:
        pass
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        try:
            result_conn.close()
        except OSError:
            pass
