"""Runs a LaunchPlan: starts MindSpore's scheduler and the workers, watches them, and tears
the job down as torchrun does.

- A worker that exits non-zero fails the job: the others get SIGTERM, then SIGKILL after
  the shutdown timeout, the scheduler is stopped, and the launcher exits 1 (torchrun's
  ChildFailedError status) after naming the failed ranks.
- A signal the launcher handles (SIGINT, SIGTERM, ...) is forwarded to every worker; the
  launcher then tears down as above and exits 128 + the signal number.
- Each child leads its own process group (so grandchildren, e.g. DataLoader workers, are
  stopped with it) and is killed by the kernel if the launcher itself dies (PDEATHSIG), so
  no process outlives the job.
"""
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # Runs in the child between fork and exec: if the launcher is killed (even SIGKILL),
    # the kernel sends SIGKILL to this child, so it cannot be orphaned.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _start(cmd, env, **kwargs):
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(cmd, env=env, start_new_session=True, preexec_fn=preexec, **kwargs)


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class _Job:
    def __init__(self, plan):
        self.plan = plan
        self.scheduler = None
        self.scheduler_log = None
        self.procs = []
        self.received = None

    def start(self):
        plan = self.plan
        if plan.scheduler_cmd is not None:
            self.scheduler_log = tempfile.NamedTemporaryFile(prefix="mstorch-scheduler-", suffix=".log", delete=False)
            self.scheduler = _start(plan.scheduler_cmd, plan.scheduler_env, stdin=subprocess.DEVNULL,
                                    stdout=self.scheduler_log, stderr=subprocess.STDOUT)
        for w in plan.workers:
            self.procs.append(_start(w.cmd, w.env))

    def _on_signal(self, signum, frame):
        if self.received is None:
            self.received = signum
        for p in self.procs:
            if p.poll() is None:
                _signal_group(p, signum)

    def watch(self):
        """None while running; else ("ok" | "failed" | "signal" | "scheduler", details)."""
        if self.received is not None:
            return "signal", self.received
        codes = [p.poll() for p in self.procs]
        failed = [(w, c) for w, c in zip(self.plan.workers, codes) if c not in (None, 0)]
        if failed:
            return "failed", failed
        if all(c == 0 for c in codes):
            return "ok", None
        if self.scheduler is not None and self.scheduler.poll() not in (None, 0):
            return "scheduler", self.scheduler.returncode
        return None

    def teardown(self, sig=signal.SIGTERM, timeout=None):
        timeout = self.plan.shutdown_timeout if timeout is None else timeout
        live = [p for p in self.procs if p.poll() is None]
        for p in live:
            _signal_group(p, sig)
        deadline = time.monotonic() + timeout
        for p in live:
            try:
                p.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for p in self.procs:
            # Also the groups of workers that already exited: their children go with them.
            _signal_group(p, signal.SIGKILL)
            p.wait()
        self.stop_scheduler(grace=0)

    def stop_scheduler(self, grace):
        if self.scheduler is None:
            return
        try:
            self.scheduler.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(self.scheduler, signal.SIGTERM)
            try:
                self.scheduler.wait(5)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(self.scheduler, signal.SIGKILL)
        self.scheduler.wait()
        self.scheduler_log.close()

    def scheduler_tail(self, lines=20):
        if self.scheduler_log is None:
            return ""
        try:
            with open(self.scheduler_log.name, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def remove_scheduler_log(self):
        if self.scheduler_log is not None:
            try:
                os.unlink(self.scheduler_log.name)
            except OSError:
                pass


def _report_failure(plan, failed):
    host = socket.gethostname()
    lines = ["torchrun (mstorch): worker failure (ChildFailedError)", "Failures:"]
    for w, code in failed:
        what = f"signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"exitcode {code}"
        lines.append(f"  [rank {w.rank}] host {host}, local_rank {w.local_rank}: {what}")
    sys.stderr.write("\n".join(lines) + "\n")


def run_job(plan):
    job = _Job(plan)
    previous = {}
    for sig in plan.signals:
        try:
            previous[sig] = signal.signal(sig, job._on_signal)
        except (ValueError, OSError):  # not the main thread, or a signal that cannot be caught
            pass
    try:
        job.start()
        while True:
            state = job.watch()
            if state is not None:
                break
            time.sleep(plan.monitor_interval)
        kind, detail = state
        if kind == "ok":
            # The scheduler returns once every worker has finalized its communication.
            job.stop_scheduler(grace=1)
            job.remove_scheduler_log()
            return 0
        if kind == "signal":
            job.teardown(sig=detail)
            sys.stderr.write(f"torchrun (mstorch): received {signal.Signals(detail).name}, workers stopped\n")
            job.remove_scheduler_log()
            return 128 + detail
        if kind == "failed":
            # Failed ranks are named as observed; others are stopped (their exit is our doing).
            job.teardown()
            _report_failure(plan, detail)
            job.remove_scheduler_log()
            return 1
        tail = job.scheduler_tail()
        job.teardown()
        sys.stderr.write(f"torchrun (mstorch): MindSpore's scheduler exited with status {detail}; workers "
                         f"stopped. Its last output:\n{tail}\n")
        job.remove_scheduler_log()
        return 1
    except BaseException:
        job.teardown(timeout=5)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
