"""NaN-propagating MindSpore kernels: floating inputs computed by NumPy over host views."""
import numpy as np

from ops_table.common._ms import from_host, host_array, prim


FLOATING = ("Float16", "Float32", "Float64", "BFloat16")


def nan_aware(ms_kernel, np_kernel):
    """Floating inputs run `np_kernel` over zero-copy host views of the arrays.

    MindSpore's CPU ReduceMax/ReduceMin, ArgMaxWithValue/ArgMinWithValue, Argmax/Argmin and
    Maximum/Minimum drop a NaN that is not first in its slice (measured: max of [1, nan, 3]
    is 3, argmax 2), where PyTorch propagates it (argmax: the first NaN's index). NumPy's
    reductions follow PyTorch's rules, and were measured faster than those MindSpore CPU
    kernels at every size tried (1e3..4e6 elements). Other dtypes keep the MindSpore kernel."""
    def kernel(a, *rest):
        arrays = [a] + [r for r in rest if hasattr(r, "asnumpy")]
        if not any(str(x.dtype) in FLOATING for x in arrays):
            return ms_kernel(a, *rest)
        bf16 = [str(x.dtype) == "BFloat16" for x in arrays]
        host = lambda x: host_array(to_f32(x) if str(x.dtype) == "BFloat16" else x)
        out = np_kernel(host(a), *[host(r) if hasattr(r, "asnumpy") else r for r in rest])
        back = lambda o: _bf16_back(from_host(np.array(o, copy=True)), o, any(bf16))
        return tuple(back(o) for o in out) if isinstance(out, tuple) else back(out)
    kernel.__name__ = getattr(ms_kernel, "__name__", "kernel")
    return kernel


def to_f32(x):
    import mindspore
    return prim("Cast")(x, mindspore.float32)


def _bf16_back(t, o, was_bf16):
    if was_bf16 and np.asarray(o).dtype.kind == "f":
        import mindspore
        return prim("Cast")(t, mindspore.bfloat16)
    return t
