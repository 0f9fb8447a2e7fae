"""Running a program under a launcher with a time limit, leaving no process behind.

Every launch gets a unique marker in its environment (MSTORCH_TEST_LAUNCH); what the
launcher starts inherits it, so after the launch `leftovers(marker)` finds any process of
that launch still alive (workers, MindSpore's scheduler, their children) and `launch`
kills them, failing the test that caused them."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"

MARKER = "MSTORCH_TEST_LAUNCH"


def leftovers(marker):
    """PIDs of live processes whose environment carries `marker`."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in env and state != "Z":
            found.append(int(pid))
    return found


def kill_all(marker):
    for pid in leftovers(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def start(args, env=None, cwd=None, mstorch_cli=True, enable=False, program=None):
    """Start `python -m mstorch <args>`, `python <args>` (mstorch_cli=False) or `program <args>`,
    with MSTORCH_ENABLE=1 only if `enable`; returns (proc, marker)."""
    marker = uuid.uuid4().hex
    full_env = {k: v for k, v in (env or os.environ).items() if k != "MSTORCH_ENABLE"}
    full_env[MARKER] = marker
    if enable:
        full_env["MSTORCH_ENABLE"] = "1"
    if program is not None:
        cmd = [str(program), *args]
    else:
        cmd = [sys.executable, "-m", "mstorch", *args] if mstorch_cli else [sys.executable, *args]
    proc = subprocess.Popen(cmd, env=full_env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    return proc, marker


def finish(proc, marker, timeout):
    """Wait for the launch; on overrun kill it. Returns (returncode, output, leftover pids)."""
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        kill_all(marker)
        out, _ = proc.communicate()
        pytest.fail(f"the launch ran past {timeout} s:\n{out[-4000:]}")
    # Processes torn down by the launcher may take a moment to be reaped by the kernel.
    deadline = time.monotonic() + 5
    left = leftovers(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = leftovers(marker)
    kill_all(marker)
    return proc.returncode, out, left


def run(args, timeout, **kwargs):
    proc, marker = start(args, **kwargs)
    return finish(proc, marker, timeout)


def torchrun_args(script, *script_args, nproc=2, extra=()):
    return ["-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}", *extra, str(script),
            *map(str, script_args)]
