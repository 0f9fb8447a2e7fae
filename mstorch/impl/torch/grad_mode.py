"""no_grad / enable_grad / set_grad_enabled / inference_mode: context managers and decorators."""
import functools
import inspect

from dispatch import grad_mode as _gm


class _Mode:
    """Base: usable as `with mode():` and as `@mode()` / `@mode` on functions and generators."""

    def __enter__(self):
        self._prev = (_gm.is_enabled(), _gm.is_inference())
        self._apply()
        return None

    def __exit__(self, *exc):
        _gm.set_enabled(self._prev[0])
        _gm.set_inference(self._prev[1])
        return False

    def clone(self):
        return type(self)()

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError(f"{type(self).__name__} can only decorate functions")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen(*args, **kwargs):
                # The mode holds only while the generator body runs: never across a
                # yield, where the caller's code runs (PyTorch's _wrap_generator).
                g = func(*args, **kwargs)
                try:
                    with self.clone():
                        resp = g.send(None)
                    while True:
                        try:
                            req = yield resp
                        except GeneratorExit:
                            with self.clone():
                                g.close()
                            raise
                        except BaseException:
                            with self.clone():
                                resp = g.throw(*__import__("sys").exc_info())
                        else:
                            with self.clone():
                                resp = g.send(req)
                except StopIteration as e:
                    return e.value
            return gen

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper


class no_grad(_Mode):
    def __new__(cls, orig_func=None):
        self = super().__new__(cls)
        if orig_func is not None and callable(orig_func):
            self.__init__()
            return self(orig_func)
        return self

    def __init__(self, orig_func=None):
        pass

    def _apply(self):
        _gm.set_enabled(False)


class enable_grad(no_grad):
    def _apply(self):
        _gm.set_enabled(True)


class set_grad_enabled(_Mode):
    def __init__(self, mode):
        self.mode = bool(mode)
        self._prev = (_gm.is_enabled(), _gm.is_inference())
        _gm.set_enabled(self.mode)  # takes effect at once when used as a function, as in PyTorch

    def _apply(self):
        _gm.set_enabled(self.mode)

    def __call__(self, func):
        # Used as a decorator the constructor's immediate switch must not leak: PyTorch
        # restores the previous mode and applies the mode only inside calls.
        _gm.set_enabled(self._prev[0])
        return super().__call__(func)

    def clone(self):
        prev = _gm.is_enabled()
        c = set_grad_enabled(self.mode)
        _gm.set_enabled(prev)
        return c


class inference_mode(_Mode):
    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode) and not isinstance(mode, bool):
            self.__init__(True)
            return self(mode)
        return self

    def __init__(self, mode=True):
        self.mode = mode if isinstance(mode, bool) else True

    def _apply(self):
        if self.mode:
            _gm.set_enabled(False)
            _gm.set_inference(True)

    def clone(self):
        return inference_mode(self.mode)


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
