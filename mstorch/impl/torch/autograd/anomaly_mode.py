"""torch.autograd.detect_anomaly / set_detect_anomaly."""
from dispatch.autograd import anomaly


class detect_anomaly:
    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        self.prev = (anomaly.is_enabled(), anomaly.check_nan_enabled())
        anomaly.set_enabled(True, self.check_nan)

    def __exit__(self, *exc):
        anomaly.set_enabled(*self.prev)
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*a, **k):
            with detect_anomaly(self.check_nan):
                return fn(*a, **k)
        return wrapper


class set_detect_anomaly:
    def __init__(self, mode, check_nan=True):
        self.prev = (anomaly.is_enabled(), anomaly.check_nan_enabled())
        anomaly.set_enabled(mode, check_nan)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        anomaly.set_enabled(*self.prev)
        return False


def is_anomaly_enabled():
    return anomaly.is_enabled()


def is_anomaly_check_nan_enabled():
    return anomaly.check_nan_enabled()
