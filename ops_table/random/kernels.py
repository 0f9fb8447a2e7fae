"""Random kernels: PyTorch's CPU generator and kernels, run on the host.

Every random op draws from a host-side generator (torch.Generator, the engine's
state in dispatch/random) so that its numbers are PyTorch's bit for bit whatever
the device. The dispatcher hands a kernel the generator object itself (the default
one when the call gave none), and the kernel passes it to the stream kernels of
ops_table/random/torch_streams, which draw from its raw stream.

In-place fills (`x.uniform_()`...) are computed out of place and written back by
the dispatcher, so a kernel returns the values torch would have written into a
tensor with `self`'s exact strides: torch fills in memory order, so we fill a
NumPy array laid out like `self` and return its contiguous copy.
"""
import numpy as np

from ops_table.common._ms import _MS_TO_NP, from_host
from ops_table.random import torch_streams as streams

try:  # MindSpore ships ml_dtypes; bfloat16 arrays cross to MindSpore in its dtype
    import ml_dtypes as _ml_dtypes
    _BF16 = np.dtype(_ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - depends on the MindSpore install
    _BF16 = None

_REAL_OF_COMPLEX = {"complex64": np.float32, "complex128": np.float64}


# ---- argument plumbing ------------------------------------------------------------

def _is_generator(g):
    return hasattr(g, "random32")


def check_generator(*args):
    """torch rejects anything but a torch.Generator for `generator=` with a TypeError;
    the dispatcher has already put the default generator where the call gave None,
    so a call with no generator-like argument was given something else."""
    if not any(_is_generator(a) for a in args):
        raise TypeError("argument 'generator' must be torch.Generator")


def _kind_of_array(a):
    """The torch dtype name of a backend array (MindSpore tensor or NumPy array)."""
    if type(a) is np.ndarray:
        if _BF16 is not None and a.dtype == _BF16:
            return "bfloat16"
        return a.dtype.name
    name = str(a.dtype)
    return "bfloat16" if name == "BFloat16" else _MS_TO_NP[name]


def _geometry(a):
    shape = tuple(a.shape)
    if type(a) is np.ndarray:
        return shape, tuple(s // a.itemsize for s in a.strides) if a.size else None
    return shape, tuple(a.stride())


def _host(a):
    """NumPy values of a backend array (bfloat16 widened to float32)."""
    v = a if type(a) is np.ndarray else a.asnumpy()
    if _BF16 is not None and v.dtype == _BF16:
        v = v.astype(np.float32)
    return v


def _host_with_layout(a):
    """NumPy values of a backend array laid out with its strides (for kernels whose
    draws follow the input's memory order)."""
    shape, strides = _geometry(a)
    v = _host(a)
    out = _strided_empty(shape, strides, v.dtype)
    out[...] = v
    return out


def _strided_empty(shape, strides, np_dtype):
    """An uninitialised NumPy array with `shape` and element `strides` (torch's geometry)."""
    if strides is None or 0 in shape or len(shape) == 0:
        return np.empty(shape, np_dtype)
    span = 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    buf = np.empty(span, np_dtype)
    item = buf.itemsize
    return np.lib.stride_tricks.as_strided(buf, shape, tuple(s * item for s in strides))


class _Target:
    """Where a kernel writes: a NumPy array emulating a torch tensor of `kind`.

    bfloat16 is emulated in float32 (torch_dtype="bfloat16"); complex tensors are
    filled through their real view, as torch does (view_as_real)."""

    def __init__(self, shape, strides, kind):
        self.kind = kind
        self.complex = kind in _REAL_OF_COMPLEX
        if self.complex:
            real = _REAL_OF_COMPLEX[kind]
            if strides is None:
                strides = _contiguous(shape)
            self.array = _strided_empty(tuple(shape) + (2,), tuple(2 * s for s in strides) + (1,), real)
        elif kind == "bfloat16":
            self.array = _strided_empty(shape, strides, np.float32)
        else:
            self.array = _strided_empty(shape, strides, np.dtype(kind))
        self.torch_dtype = "bfloat16" if kind == "bfloat16" else None

    def result(self, cast_bf16=True):
        # copy(order="C"), not ascontiguousarray: that one turns 0-d arrays into 1-d
        a = self.array.copy(order="C")
        if self.complex:
            return a.view(np.dtype(self.kind))[..., 0].copy(order="C")
        if self.kind == "bfloat16" and cast_bf16:
            if _BF16 is None:
                raise NotImplementedError("mstorch: bfloat16 random tensors need the ml_dtypes package")
            return a.astype(_BF16)
        return a


def _contiguous(shape):
    st, acc = [], 1
    for n in reversed(shape):
        st.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(st))


def _like_self(self):
    shape, strides = _geometry(self)
    return _Target(shape, strides, _kind_of_array(self))


def _fresh(size, dtype):
    return _Target(tuple(size), None, dtype.name)


def _float_only(op, t, kernel_name):
    if t.complex:
        return
    if t.kind not in ("float16", "bfloat16", "float32", "float64"):
        raise NotImplementedError(f'"{kernel_name}" not implemented for \'{_SCALAR.get(t.kind, t.kind)}\'')


_SCALAR = {"float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double", "bool": "Bool",
           "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long"}


# ---- host kernels (NumPy in, NumPy out) -------------------------------------------
# In-place fills: the result is computed for `self`'s layout (see module doc).

def _uniform_into(g, t, low, high):
    _float_only("uniform_", t, "check_uniform_bounds")
    streams.uniform_(g, t.array, low, high, torch_dtype=t.torch_dtype)


def _normal_into(g, t, mean, std):
    _float_only("normal_", t, "normal_kernel_cpu")
    if t.complex:
        # torch: normal_ on view_as_real(self) with std / sqrt(2)
        std = std / np.sqrt(2.0)
    streams.normal_(g, t.array, mean, std, torch_dtype=t.torch_dtype)


def uniform_host(self, low, high, g):
    t = _like_self(self)
    _uniform_into(g, t, low, high)
    return t.result()


def normal_functional_host(self, mean, std, g):
    t = _like_self(self)
    _normal_into(g, t, mean, std)
    return t.result()


def random_host(self, *args):
    *bounds, g = args
    t = _like_self(self)
    streams.random_(g, t.array, *bounds, torch_dtype=t.torch_dtype)
    return t.result()


def exponential_host(self, lambd, g):
    t = _like_self(self)
    streams.exponential_(g, t.array, lambd, torch_dtype=t.torch_dtype)
    return t.result()


def cauchy_host(self, median, sigma, g):
    t = _like_self(self)
    streams.cauchy_(g, t.array, median, sigma, torch_dtype=t.torch_dtype)
    return t.result()


def log_normal_host(self, mean, std, g):
    t = _like_self(self)
    streams.log_normal_(g, t.array, mean, std, torch_dtype=t.torch_dtype)
    return t.result()


def geometric_host(self, p, g):
    t = _like_self(self)
    streams.geometric_(g, t.array, p, torch_dtype=t.torch_dtype)
    return t.result()


def _check_probabilities(p):
    # bernoulli_tensor_cpu_kernel's TORCH_CHECK (NaN fails it too)
    if p.size and not (np.all(p >= 0) and np.all(p <= 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")


def bernoulli_inplace_host(self, p, g):
    t = _like_self(self)
    if isinstance(p, (int, float)):
        streams.bernoulli_(g, t.array, float(p), torch_dtype=t.torch_dtype)
        return t.result()
    kind = _kind_of_array(p)
    pv = _host(p)
    if kind not in ("float16", "bfloat16", "float32", "float64"):
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for \'{_SCALAR.get(kind, kind)}\'')
    _check_probabilities(pv)
    try:
        pv = np.broadcast_to(pv, t.array.shape)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({list(t.array.shape)}) must match the size of tensor b "
                           f"({list(pv.shape)})") from None
    streams.bernoulli_(g, t.array, pv, torch_dtype=t.torch_dtype)
    return t.result()


def bernoulli_host(self, *args):
    """torch.bernoulli(input) (input holds the probabilities) or torch.bernoulli(input, p)."""
    *p, g = args
    kind = _kind_of_array(self)
    if p:
        t = _Target(tuple(self.shape), None, kind)
        streams.bernoulli_(g, t.array, float(p[0]), torch_dtype=t.torch_dtype)
        return t.result()
    if kind not in ("float16", "bfloat16", "float32", "float64"):
        raise NotImplementedError(f'"bernoulli_tensor_cpu_self_" not implemented for \'{_SCALAR.get(kind, kind)}\'')
    pv = _host(self)
    _check_probabilities(pv)
    t = _Target(tuple(self.shape), None, kind)
    streams.bernoulli_(g, t.array, pv, torch_dtype=t.torch_dtype)
    return t.result()


def multinomial_host(self, num_samples, replacement, g):
    if _kind_of_array(self) == "bfloat16" and not replacement:
        raise NotImplementedError("mstorch: multinomial without replacement on bfloat16 probabilities")
    # the race draws exponential_ into empty_like(probs), i.e. in probs' memory order
    return streams.multinomial(g, _host_with_layout(self), num_samples, replacement)


# Factories.

def rand_host(size, g, dtype):
    t = _fresh(size, dtype)
    _uniform_into(g, t, 0.0, 1.0)
    return t.result()


def randn_host(size, g, dtype):
    t = _fresh(size, dtype)
    _normal_into(g, t, 0.0, 1.0)
    return t.result()


def randint_host(*args):
    """randint(high, size, ...) or randint(low, high, size, ...): empty(size).random_(low, high)."""
    *bounds, size, g, dtype = args
    low, high = (0, bounds[0]) if len(bounds) == 1 else bounds
    kind = "int64" if dtype is None else dtype.name
    t = _Target(tuple(size), None, kind)
    streams.random_(g, t.array, low, high, torch_dtype=t.torch_dtype)
    return t.result()


def randperm_host(n, g, dtype):
    kind = "int64" if dtype is None else dtype.name
    if kind == "bfloat16":
        raise NotImplementedError("mstorch: randperm(dtype=torch.bfloat16)")
    if kind in _REAL_OF_COMPLEX or kind == "bool":
        raise NotImplementedError(f'"randperm_cpu" not implemented for \'{_SCALAR.get(kind, kind)}\'')
    return streams.randperm(g, n, np.dtype(kind))


def normal_host(mean, std, *rest):
    """The four torch.normal overloads: (Tensor, Tensor), (Tensor, float), (float, Tensor)
    and (float, float, size)."""
    if len(rest) == 3:
        size, g, dtype = rest
        t = _fresh(size, dtype)
        _normal_into(g, t, mean, std)
        return t.result()
    g, _unused_dtype = rest
    mean_t, std_t = not isinstance(mean, (int, float)), not isinstance(std, (int, float))
    kinds = [_kind_of_array(x) for x, is_t in ((mean, mean_t), (std, std_t)) if is_t]
    bf16 = kinds[0] == "bfloat16"
    m = _host(mean) if mean_t else float(mean)
    s = _host(std) if std_t else float(std)
    for k in kinds[:1]:
        if k not in ("float16", "bfloat16", "float32", "float64"):
            raise NotImplementedError(f'"normal_kernel_cpu" not implemented for \'{_SCALAR.get(k, k)}\'')
    out = streams.normal_tensor(g, m, s, torch_dtype="bfloat16" if bf16 else None)
    if bf16:
        if _BF16 is None:
            raise NotImplementedError("mstorch: bfloat16 random tensors need the ml_dtypes package")
        out = out.astype(_BF16)
    return out


# ---- MindSpore-backend kernels: the same values, handed over without a copy ---------

def _on_ms(fn):
    def kernel(*args):
        return from_host(fn(*args))
    kernel.__name__ = fn.__name__.replace("_host", "_ms")
    kernel.__doc__ = fn.__doc__
    return kernel


uniform_ms = _on_ms(uniform_host)
normal_functional_ms = _on_ms(normal_functional_host)
random_ms = _on_ms(random_host)
exponential_ms = _on_ms(exponential_host)
cauchy_ms = _on_ms(cauchy_host)
log_normal_ms = _on_ms(log_normal_host)
geometric_ms = _on_ms(geometric_host)
bernoulli_inplace_ms = _on_ms(bernoulli_inplace_host)
bernoulli_ms = _on_ms(bernoulli_host)
multinomial_ms = _on_ms(multinomial_host)
rand_ms = _on_ms(rand_host)
randn_ms = _on_ms(randn_host)
randint_ms = _on_ms(randint_host)
randperm_ms = _on_ms(randperm_host)
normal_ms = _on_ms(normal_host)
