"""An in-test time limit: a hang fails the test (SIGALRM) instead of stalling the run."""
import contextlib
import signal


@contextlib.contextmanager
def time_limit(seconds):
    def expire(*_):
        raise TimeoutError(f"test ran past its {seconds} s limit")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
