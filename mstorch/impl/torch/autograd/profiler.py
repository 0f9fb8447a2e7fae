"""torch.autograd.profiler: the context managers run, but no events are collected.

A profiler's results are per-op events; mstorch's dispatcher has no hook that records
them, so every accessor of results (key_averages, table, export_chrome_trace...) raises
NotImplementedError naming itself instead of handing back an empty or partial profile.
Entering and leaving a profile or a record_function range works, so instrumented
training code runs unchanged.
"""
import functools


def no_events(name):
    return NotImplementedError(f"mstorch: {name} is not supported (the profiler collects no events: the "
                               "dispatcher has no per-op hook); time regions with time.perf_counter() instead")


class _Results:
    """The result accessors both profilers share; each one raises naming itself."""
    _owner = "torch.autograd.profiler.profile"

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        raise no_events(f"{self._owner}.key_averages")

    def events(self):
        raise no_events(f"{self._owner}.events")

    def table(self, *args, **kwargs):
        raise no_events(f"{self._owner}.table")

    def total_average(self):
        raise no_events(f"{self._owner}.total_average")

    def export_chrome_trace(self, path):
        raise no_events(f"{self._owner}.export_chrome_trace")

    def export_stacks(self, path, metric="self_cpu_time_total"):
        raise no_events(f"{self._owner}.export_stacks")

    @property
    def function_events(self):
        raise no_events(f"{self._owner}.function_events")

    @property
    def self_cpu_time_total(self):
        raise no_events(f"{self._owner}.self_cpu_time_total")


class profile(_Results):
    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False, with_flops=False,
                 profile_memory=False, with_stack=False, with_modules=False, use_kineto=False, use_cpu=True,
                 experimental_config=None, acc_events=False, custom_trace_id_callback=None):
        self.enabled = enabled
        self.entered = False

    def __enter__(self):
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self.entered = True
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None


class EventList(list, _Results):
    """A list of profiler events; mstorch's profilers never produce any."""
    _owner = "torch.autograd.profiler.EventList"


class record_function:
    """A named range, usable as a context manager or a decorator. With no event collection
    the range is entered and left and nothing is recorded, as in PyTorch with no profiler on."""

    def __init__(self, name, args=None):
        if not isinstance(name, str):
            raise TypeError(f"record_function(): name must be a str, got {type(name).__name__}")
        self.name, self.args = name, args

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)
        return wrapped


class emit_nvtx:
    """NVTX ranges around every op for nvprof/Nsight. Without CUDA PyTorch's own check fails on
    entering; with a MindSpore device the dispatcher has no per-op hook to emit them."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled, self.record_shapes = enabled, record_shapes
        self.entered = False

    def __enter__(self):
        if not self.enabled:
            return None
        if self.entered:
            raise RuntimeError("NVTX annotation context manager is not reentrant")
        from dispatch import devices
        devices.require_cuda()
        raise NotImplementedError("mstorch: torch.autograd.profiler.emit_nvtx is not supported (the dispatcher has "
                                  "no per-op hook to emit NVTX ranges)")

    def __exit__(self, exc_type, exc_value, traceback):
        return None


class emit_itt:
    """ITT ranges around every op for Intel VTune: mstorch's dispatcher cannot emit them."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled, self.record_shapes = enabled, record_shapes

    def __enter__(self):
        if self.enabled:
            raise NotImplementedError("mstorch: torch.autograd.profiler.emit_itt is not supported (the dispatcher "
                                      "has no per-op hook to emit ITT ranges)")
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        return None
