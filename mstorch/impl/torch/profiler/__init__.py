"""torch.profiler: PyTorch's step scheduling and callbacks, with no events collected.

`profile` runs its schedule (step(), ProfilerAction, on_trace_ready at the end of each
recording cycle) exactly as PyTorch does, so training loops instrumented with it run
unchanged. It collects nothing, so reading results — key_averages, export_chrome_trace
(which tensorboard_trace_handler calls) — raises NotImplementedError naming itself.
"""
import enum
import os
import warnings

from mstorch.impl.torch.autograd.profiler import _Results, record_function  # noqa: F401


class ProfilerActivity(enum.Enum):
    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5


class ProfilerAction(enum.Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


def schedule(*, wait, warmup, active, repeat=0, skip_first=0, skip_first_wait=0):
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
                             f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
                             f"skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results", stacklevel=2)
    cycle = wait + warmup + active

    def action_at(step):
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        # Steps counted from the end of skip_first; skip_first_wait drops the first wait phase.
        since = step - skip_first + (wait if skip_first_wait else 0)
        if repeat > 0 and since >= repeat * cycle:
            return ProfilerAction.NONE
        phase = since % cycle
        if phase < wait:
            return ProfilerAction.NONE
        if phase < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if phase < cycle - 1 else ProfilerAction.RECORD_AND_SAVE
    return action_at


def kineto_available():
    # Kineto is PyTorch's event collector; mstorch has none (see the module docstring).
    return False


def _always_record(step):
    return ProfilerAction.RECORD


def tensorboard_trace_handler(dir_name, worker_name=None, use_gzip=False, use_python_export=False):
    def handler(prof):
        os.makedirs(dir_name, exist_ok=True)
        prof.export_chrome_trace(os.path.join(dir_name, f"{worker_name or 'worker'}.pt.trace.json"))
    return handler


_RECORDING = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)


class profile(_Results):
    _owner = "torch.profiler.profile"

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, execution_trace_observer=None, acc_events=False, use_cuda=None,
                 custom_trace_id_callback=None):
        self.activities = set(activities) if activities else {ProfilerActivity.CPU}
        self.schedule = schedule or _always_record
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.stop()

    def start(self):
        return None

    def stop(self):
        self._leave(self.current_action, None)

    def step(self):
        previous = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._leave(previous, self.current_action)

    def _leave(self, previous, current):
        # A recording cycle ends (its trace is "ready") when RECORD_AND_SAVE is left, or when
        # RECORD is left for anything but more recording.
        ends = previous is ProfilerAction.RECORD_AND_SAVE or (
            previous is ProfilerAction.RECORD and current not in _RECORDING)
        if ends and self.on_trace_ready is not None:
            self.on_trace_ready(self)
