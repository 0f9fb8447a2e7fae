"""no_grad / enable_grad / set_grad_enabled / inference_mode: context managers and decorators."""
import functools
import inspect
import sys
import warnings

from dispatch import grad_mode as _gm


def _decorate(factory, func):
    """`func` running each call inside a fresh context from `factory()`."""
    if inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def gen(*args, **kwargs):
            # The mode holds only while the generator body runs: never across a yield,
            # where the caller's code runs.
            g = func(*args, **kwargs)
            try:
                with factory():
                    resp = g.send(None)
                while True:
                    try:
                        req = yield resp
                    except GeneratorExit:
                        with factory():
                            g.close()
                        raise
                    except BaseException:
                        with factory():
                            resp = g.throw(*sys.exc_info())
                    else:
                        with factory():
                            resp = g.send(req)
            except StopIteration as e:
                return e.value
        return gen

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with factory():
            return func(*args, **kwargs)
    return wrapper


class _Mode:
    """Base: usable as `with mode():` and as `@mode()` on functions and generators."""

    def __call__(self, func):
        if inspect.isclass(func):
            warnings.warn("Decorating classes is deprecated and will be disabled in future versions. You should "
                          "only decorate functions or methods. To preserve the current behavior of class "
                          "decoration, you can directly decorate the `__init__` method and nothing else.",
                          FutureWarning, stacklevel=2)
            cls = func
            func = lambda *args, **kwargs: cls(*args, **kwargs)  # noqa: E731
        return _decorate(self.clone, func)

    def clone(self):
        return type(self)()


class _BareMode(_Mode):
    """A mode taking no argument, so `@mode` works as well as `@mode()`."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __init__(self, orig_func=None):
        self.prev = False

    def __enter__(self):
        # Saved on entry (not construction): one object may be entered many times.
        self.prev = _gm.is_enabled()
        _gm.set_enabled(self._mode)

    def __exit__(self, *exc):
        _gm.set_enabled(self.prev)


class no_grad(_BareMode):
    _mode = False


class enable_grad(_BareMode):
    _mode = True


def _check_bool(mode):
    if not isinstance(mode, bool):
        raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not {type(mode).__name__}")
    return mode


class set_grad_enabled(_Mode):
    """Switches grad mode at construction (so it also works as a plain call); `with`
    re-applies the mode and its exit restores the mode found at construction."""

    def __init__(self, mode):
        self.prev = _gm.is_enabled()
        self.mode = _check_bool(mode)
        _gm.set_enabled(mode)

    def __call__(self, func):
        # As a decorator the constructor's switch must not outlive the decoration.
        _gm.set_enabled(self.prev)
        return super().__call__(func)

    def __enter__(self):
        _gm.set_enabled(self.mode)

    def __exit__(self, *exc):
        _gm.set_enabled(self.prev)

    def __str__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    __repr__ = __str__

    def clone(self):
        return type(self)(self.mode)


class inference_mode(_Mode):
    """inference_mode(True) turns grad mode off and inference on; inference_mode(False)
    turns inference off and grad mode on; exit restores both."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __init__(self, mode=True):
        self.mode = mode

    def __enter__(self):
        self._saved = (_gm.is_enabled(), _gm.is_inference())
        _gm.set_enabled(not self.mode)
        _gm.set_inference(self.mode)

    def __exit__(self, *exc):
        _gm.set_enabled(self._saved[0])
        _gm.set_inference(self._saved[1])

    def clone(self):
        return type(self)(self.mode)


def is_grad_enabled():
    return _gm.is_enabled()


def is_inference_mode_enabled():
    return _gm.is_inference()


def is_anomaly_enabled():
    from dispatch.autograd import anomaly
    return anomaly.is_enabled()


def is_anomaly_check_nan_enabled():
    from dispatch.autograd import anomaly
    return anomaly.check_nan_enabled()
