"""Torch ops from several Python threads at once (DataLoader's pin-memory thread, library
thread pools, user threads) finish without a crash and with the results of the same work
done on one thread.

MindSpore's runtime segfaults or raises "The pointer[runtime_info] is null" when driven
from several threads (dispatch/mslock.py).  Each case runs in a child interpreter with a
time limit, so a segfault fails the test instead of killing pytest."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 180

_CHILD = textwrap.dedent("""
    import concurrent.futures as cf
    import threading
    import mstorch.torch as torch

    N_THREADS, ROUNDS = 4, 40
    shared = torch.zeros(N_THREADS * 8, 16)

    def task(i):
        g = torch.Generator().manual_seed(100 + i)
        out = []
        for r in range(ROUNDS):
            a = torch.randn(32, 32, generator=g)
            b = torch.rand(32, 16, generator=g)
            c = a @ b                                       # matmul
            rows = shared[i * 8:(i + 1) * 8]                # this task's disjoint slice
            rows.add_(c[:8])                                # in place through a view
            shared[i * 8:(i + 1) * 8, ::2].mul_(0.5)        # strided view, in place
            w = torch.randn(16, 4, generator=g, requires_grad=True)
            loss = (c @ w).tanh().pow(2).mean()             # a graph of its own
            loss.backward()
            out += [c.sum().item(), c.max().item(), c.std().item(), loss.item()]
            out += w.grad.flatten().tolist()
            out.append(torch.randint(0, 1000, (5,), generator=g).tolist())
        return out

    def default_draws(_):
        # The default generator is shared: every draw must be whole (no torn state).
        return [tuple(torch.randn(6).tolist()) for _ in range(20)]

    # Sequential reference first, then the same work on threads.
    torch.manual_seed(7)
    seq = [task(i) for i in range(N_THREADS)]
    seq_shared = shared.clone()
    seq_draws = sorted(d for i in range(N_THREADS) for d in default_draws(i))

    shared.zero_()
    torch.manual_seed(7)
    start = threading.Barrier(N_THREADS)

    def started(f):
        def run(i):
            start.wait()
            return f(i)
        return run

    with cf.ThreadPoolExecutor(N_THREADS) as ex:
        par = list(ex.map(started(task), range(N_THREADS)))
    with cf.ThreadPoolExecutor(N_THREADS) as ex:
        par_draws = sorted(d for ds in ex.map(started(default_draws), range(N_THREADS)) for d in ds)

    assert par == seq, "thread results differ from the sequential ones"
    assert torch.equal(shared, seq_shared), "writes into disjoint slices differ"
    assert par_draws == seq_draws, "default-generator draws on threads are not the sequential stream"
    print("OK")
""")


def _child(code):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def test_mixed_ops_on_threads_match_sequential_run():
    proc = _child(_CHILD)
    assert proc.returncode == 0, f"rc={proc.returncode}\n{proc.stderr[-3000:]}"
    assert proc.stdout.strip().endswith("OK")


def test_forked_child_of_a_threaded_process_runs_ops():
    # The lock may be held by another thread at fork time; the child must get a free one.
    code = textwrap.dedent("""
        import os, signal, threading
        import mstorch.torch as torch
        stop = threading.Event()
        # Warm up first: a fork while another thread imports deadlocks on Python's import
        # lock in any program; this test is about the op lock.
        (torch.ones(3) * 2).sum().item()
        def spin():
            x = torch.randn(64, 64)
            while not stop.is_set():
                (x @ x).sum().item()
        t = threading.Thread(target=spin); t.start()
        for _ in range(5):
            pid = os.fork()
            if pid == 0:
                signal.alarm(30)  # a child stuck on an inherited held lock dies instead of hanging
                y = torch.ones(3) * 2
                os._exit(0 if y.sum().item() == 6.0 else 1)
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
        stop.set(); t.join()
        print("OK")
    """)
    proc = _child(code)
    assert proc.returncode == 0, f"rc={proc.returncode}\n{proc.stderr[-3000:]}"
    assert proc.stdout.strip().endswith("OK")


def test_default_device_context_is_per_thread():
    # PyTorch's `with torch.device(...)` / set_default_device hold per thread.
    import threading
    import mstorch.torch as torch
    seen = []
    with torch.device("meta"):
        t = threading.Thread(target=lambda: seen.append(torch.get_default_device()))
        t.start()
        t.join()
        assert torch.get_default_device() == torch.device("meta")
    assert seen == [torch.device("cpu")]
