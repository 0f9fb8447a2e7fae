"""Implementation of the top-level `torch` namespace beyond table ops:
types, dtypes, data conversion, grad-mode switches."""
import math as _math

from dispatch import Tensor
from dispatch import dtypes as _dt
from dispatch.backend import get_num_interop_threads, get_num_threads, set_num_interop_threads, set_num_threads
from dispatch.device import device
from dispatch.dtype_info import finfo, iinfo
from dispatch.dtypes import dtype, get_default_dtype, promote_types, set_default_dtype, can_cast
from dispatch.formatting import set_printoptions
from dispatch.interop import from_numpy
from dispatch.layout import (channels_last, channels_last_3d, contiguous_format, layout, memory_format,
                             preserve_format, sparse_coo, strided)
from dispatch.pyapi import as_tensor, result_type, tensor
from dispatch.size import Size
from dispatch.sparse import sparse_coo_tensor, sparse_mm as spmm  # noqa: F401
from mstorch.impl.torch.random import Generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state, default_generator  # noqa: E501
from mstorch.impl.torch.serialization import load, save  # noqa
from mstorch.impl.torch._asarray import asarray  # noqa: F401
from mstorch.impl.torch._broadcast_shapes import broadcast_shapes  # noqa: F401
from mstorch.impl.torch.grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled,
                                          no_grad, set_grad_enabled)

# Python floats, as in PyTorch (torch.pi is math.pi)
pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None

float32 = float = _dt.float32
float64 = double = _dt.float64
float16 = half = _dt.float16
bfloat16 = _dt.bfloat16
int8 = _dt.int8
int16 = short = _dt.int16
int32 = int = _dt.int32
int64 = long = _dt.int64
uint8 = _dt.uint8
uint16, uint32, uint64 = _dt.uint16, _dt.uint32, _dt.uint64
float8_e4m3fn, float8_e5m2 = _dt.float8_e4m3fn, _dt.float8_e5m2
bool = _dt.bool_
complex64 = cfloat = _dt.complex64
complex128 = cdouble = _dt.complex128


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def _assert(condition, message):
    """Python's assert, symbolically traceable: on a traced value it is recorded (torch.fx)."""
    if type(condition) is not Tensor:
        from mstorch.impl.torch.overrides import handle_torch_function, has_torch_function
        if has_torch_function((condition,)):
            return handle_torch_function(_assert, (condition,), condition, message)
    if not condition:
        raise AssertionError(message)


def numel(input):
    return input.numel()


def get_default_device():
    from dispatch import device_context
    return device_context.current() or device("cpu")


def set_default_device(d):
    from dispatch import device_context
    device_context.set_default(None if d is None else device(d) if not isinstance(d, device) else d)


from mstorch.impl.torch._compile import compile  # noqa: E402
from mstorch.impl.torch._deterministic import (are_deterministic_algorithms_enabled,  # noqa: E402,F401
    get_deterministic_debug_mode, is_deterministic_algorithms_warn_only_enabled, set_deterministic_debug_mode,
    use_deterministic_algorithms)
from mstorch.impl.torch.legacy_types import (BFloat16Tensor, BoolTensor, ByteTensor, CharTensor,  # noqa: E402
                                             DoubleTensor, FloatTensor, HalfTensor, IntTensor, LongTensor,
                                             ShortTensor)
from mstorch.interop import cast_to_adapter_tensor, cast_to_ms_tensor, install_mindspore_operators as _ms_ops  # noqa
_ms_ops()  # `ms_tensor + torch_tensor` reaches Tensor.__radd__ (see mstorch/interop.py)
from mstorch.impl.torch.amp.autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled  # noqa: E402,F401
from mstorch.impl.torch.grad_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled  # noqa: E402,F401
from mstorch.impl.torch._storage_names import *  # noqa: E402,F401,F403 (storage classes, frombuffer)
from mstorch.impl.torch.jit import ScriptFunction, ScriptModule  # noqa: E402,F401
from mstorch.impl.torch._file_reader import PyTorchFileReader  # noqa: E402,F401
from mstorch.impl.torch.func import vmap  # noqa: E402,F401 (torch.vmap is torch.func.vmap)
