"""torch.multiprocessing.spawn / start_processes: run fn(i, *args) in nprocs processes.

Each child reports an exception by writing its traceback to a file of its own (a
one-shot message that cannot deadlock the way a queue can when a child dies while
writing); the parent waits on the children's sentinels, and the first child to fail
ends the others and becomes the parent's ProcessRaisedException (with the child's
traceback) or ProcessExitedException (exit code or signal).
"""
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

__all__ = ["ENV_VAR_PARALLEL_START", "ProcessContext", "ProcessException", "ProcessExitedException",
           "ProcessRaisedException", "SpawnContext", "spawn", "start_processes"]

ENV_VAR_PARALLEL_START = "TORCH_MP_PARALLEL_START"
_log = logging.getLogger(__name__)


class ProcessException(Exception):
    __slots__ = ["error_index", "error_pid"]

    def __init__(self, msg: str, error_index: int, error_pid: int):
        super().__init__(msg)
        self.msg = msg
        self.error_index = error_index
        self.error_pid = error_pid

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid)


class ProcessRaisedException(ProcessException):
    """A child raised an exception; the message carries its traceback."""


class ProcessExitedException(ProcessException):
    """A child died of a signal or exited with a non-zero code without raising."""
    __slots__ = ["exit_code"]

    def __init__(self, msg: str, error_index: int, error_pid: int, exit_code: int, signal_name=None):
        super().__init__(msg, error_index, error_pid)
        self.exit_code = exit_code
        self.signal_name = signal_name

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid, self.exit_code, self.signal_name)


def _prctl_pr_set_pdeathsig(sig):
    """Ask Linux to send `sig` to this process when its parent dies (no-op elsewhere),
    so that children of a killed parent do not run on."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(sig), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wrap(fn, i, args, error_file):
    _prctl_pr_set_pdeathsig(signal.SIGINT)
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass  # the parent ended this child after another one failed
    except Exception:
        import traceback
        with open(error_file, "wb") as fh:
            pickle.dump(traceback.format_exc(), fh)
        sys.exit(1)


class ProcessContext:
    def __init__(self, processes, error_files):
        self.error_files = error_files
        self.processes = processes
        self.sentinels = {p.sentinel: i for i, p in enumerate(processes)}

    def pids(self):
        return [int(p.pid) for p in self.processes]

    def _join_all(self, timeout):
        deadline = time.monotonic() + timeout
        for p in self.processes:
            p.join(max(0.0, deadline - time.monotonic()))

    def join(self, timeout=None, grace_period=None):
        """Wait up to `timeout` seconds for a child to end.  Returns True once every child
        ended successfully, False while some still run; when one failed, ends the others
        (SIGTERM, after `grace_period`; SIGKILL after another) and raises its error."""
        if not self.sentinels:
            return True
        failed = None
        for sentinel in multiprocessing.connection.wait(list(self.sentinels), timeout=timeout):
            index = self.sentinels.pop(sentinel)
            proc = self.processes[index]
            proc.join()
            if proc.exitcode != 0:
                failed = index
                break
        if failed is None:
            return not self.sentinels
        self._end_the_others(grace_period)
        self._raise_for(failed)

    def _end_the_others(self, grace_period):
        if grace_period is not None:
            self._join_all(grace_period)
        for p in self.processes:
            if p.is_alive():
                _log.warning("Terminating process %s via signal SIGTERM", p.pid)
                p.terminate()
        self._join_all(30 if grace_period is None else grace_period)
        for p in self.processes:
            if p.is_alive():
                _log.warning("Unable to shutdown process %s via SIGTERM , forcefully exiting via SIGKILL", p.pid)
                p.kill()
            p.join()

    def _raise_for(self, index):
        proc = self.processes[index]
        path = self.error_files[index]
        if not os.access(path, os.R_OK):
            code = proc.exitcode
            if code < 0:
                try:
                    name = signal.Signals(-code).name
                except ValueError:
                    name = f"<Unknown signal {-code}>"
                raise ProcessExitedException(f"process {index:d} terminated with signal {name}", error_index=index,
                                             error_pid=proc.pid, exit_code=code, signal_name=name)
            raise ProcessExitedException(f"process {index:d} terminated with exit code {code:d}", error_index=index,
                                         error_pid=proc.pid, exit_code=code)
        with open(path, "rb") as fh:
            trace = pickle.load(fh)
        os.unlink(path)
        raise ProcessRaisedException(f"\n\n-- Process {index:d} terminated with the following error:\n{trace}",
                                     index, proc.pid)


class SpawnContext(ProcessContext):
    def __init__(self, processes, error_files):
        warnings.warn("SpawnContext is renamed to ProcessContext since 1.4 release.", stacklevel=2)
        super().__init__(processes, error_files)


def _error_file():
    # A name only: the child creates the file when (and only when) it fails.
    fd, path = tempfile.mkstemp(prefix="pytorch-errorfile-", suffix=".pickle")
    os.close(fd)
    os.unlink(path)
    return path


def start_processes(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Start `nprocs` processes running fn(i, *args) with `start_method`; join them
    (raising the first failure) or, with join=False, return their ProcessContext."""
    ctx = multiprocessing.get_context(start_method)
    parallel = start_method == "forkserver" and os.environ.get(ENV_VAR_PARALLEL_START, "0") == "1"

    def start(i):
        path = _error_file()
        proc = ctx.Process(target=_wrap, args=(fn, i, args, path), daemon=daemon)
        proc.start()
        return proc, path

    with _children_serve_torch(start_method):
        if parallel:
            with ThreadPoolExecutor(max_workers=nprocs) as pool:
                started = list(pool.map(start, range(nprocs)))
        else:
            started = [start(i) for i in range(nprocs)]
    context = ProcessContext([p for p, _ in started], [f for _, f in started])
    if not join:
        return context
    while not context.join():
        pass


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """start_processes with the 'spawn' start method (the only one spawn() uses)."""
    if start_method != "spawn":
        warnings.warn(f"This method only supports start_method=spawn (got: {start_method}).\n"
                      "To use a different start_method use:\n\t\t torch.multiprocessing.start_processes(...)",
                      FutureWarning, stacklevel=2)
    return start_processes(fn, args, nprocs, join, daemon, start_method="spawn")


class _children_serve_torch:
    """A spawned or forkserver child is a fresh interpreter: it serves `torch` from mstorch
    when this process does, through the start-up hook that MSTORCH_ENABLE turns on."""

    def __init__(self, start_method):
        import mstorch
        self.needed = start_method != "fork" and mstorch.is_enabled()

    def __enter__(self):
        if self.needed:
            self.old = os.environ.get("MSTORCH_ENABLE")
            os.environ["MSTORCH_ENABLE"] = "1"

    def __exit__(self, *exc):
        if self.needed:
            if self.old is None:
                os.environ.pop("MSTORCH_ENABLE", None)
            else:
                os.environ["MSTORCH_ENABLE"] = self.old
