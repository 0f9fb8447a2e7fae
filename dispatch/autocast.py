"""Autocast: the per-thread state behind `torch.autocast` and the per-op cast policy.

The dispatcher asks `cast_args` at the entry of every out-of-place table op; when an
autocast region is active for the device type that serves the tensors, the op's
floating inputs are cast according to PyTorch's policy for that op:
- "lower": eligible inputs to the region's dtype (float16 / bfloat16);
- "fp32":  eligible inputs to float32;
- "promote": eligible inputs to the widest floating dtype among them (PyTorch's
  `prioritize`: float32 beats the region's dtype; any other mix is an error).
Eligible means floating and not float64 (PyTorch leaves double tensors alone).  Ops not
in a list run in their input dtypes.  As in PyTorch, the cast happens once, at the op's
entry: composite bodies and backward formulas run with autocast excluded (`excluded`).

The lists are PyTorch's (aten/src/ATen/autocast_mode.cpp) under mstorch's table names;
the CPU lists were checked op by op against torch 2.13 (tests/test_amp.py).
"""
import contextlib
import threading

from dispatch import devices, dtypes as _dt, upcalls as _upcalls
from dispatch.tensor import Tensor

# ---- the policy --------------------------------------------------------------------

_CPU_LOWER = frozenset("""
conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d bmm mm baddbmm addmm addbmm
linear matmul prelu einsum inner tensordot scaled_dot_product_attention
""".split())

_CPU_FP32 = frozenset("""
binary_cross_entropy binary_cross_entropy_with_logits prod cdist trace mse_loss cosine_embedding_loss
nll_loss hinge_embedding_loss poisson_nll_loss smooth_l1_loss cross_entropy l1_loss huber_loss
margin_ranking_loss soft_margin_loss triplet_margin_loss multi_margin_loss multilabel_margin_loss
ctc_loss kl_div fold local_response_norm matrix_norm max_pool3d avg_pool3d adaptive_avg_pool3d
max_unpool2d max_unpool3d grid_sample polar quantile nanquantile stft inverse pinverse cholesky
""".split())

_CPU_PROMOTE = frozenset("stack cat index_copy".split())

_CUDA_LOWER = frozenset("""
conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d prelu addmm addmv addr matmul
einsum mm mv linear addbmm baddbmm bmm chain_matmul inner tensordot scaled_dot_product_attention
lstm_cell gru_cell rnn_tanh_cell rnn_relu_cell
""".split())

# PyTorch's fp32 list plus its "fp32_set_opt_dtype"/"fp32_append_dtype" ops (softmax,
# sum, norm...): those run with dtype=float32, which for a floating input is the same
# result dtype as casting the input to float32.
_CUDA_FP32 = frozenset("""
acos asin cosh erfinv exp expm1 log log10 log2 log1p reciprocal rsqrt sinh tan pow softplus layer_norm
group_norm norm cosine_similarity poisson_nll_loss cosine_embedding_loss nll_loss hinge_embedding_loss
kl_div l1_loss smooth_l1_loss huber_loss mse_loss margin_ranking_loss multilabel_margin_loss
soft_margin_loss triplet_margin_loss multi_margin_loss binary_cross_entropy_with_logits dist pdist cdist
renorm logsumexp prod softmax log_softmax cumprod cumsum vector_norm matrix_norm sum cross_entropy
softmin local_response_norm
""".split())

_CUDA_PROMOTE = frozenset("addcdiv addcmul atan2 bilinear cross dot vdot grid_sample index_put scatter_add".split())

# CUDA autocast refuses binary_cross_entropy outright (unsafe in float16).
_CUDA_BANNED = frozenset(["binary_cross_entropy"])


def _cpu_pad(args):
    # `pad` is one table op; PyTorch's fp32 list names reflection_pad1d/2d and
    # replication_pad1d/2d/3d, so the policy depends on the mode.
    mode = args[2] if len(args) > 2 else "constant"
    if mode == "replicate":
        return "fp32"
    if mode == "reflect" and len(args[1]) <= 4:
        return "fp32"
    return None


_POLICIES = {
    "cpu": ({**{n: "lower" for n in _CPU_LOWER}, **{n: "fp32" for n in _CPU_FP32},
             **{n: "promote" for n in _CPU_PROMOTE}, "pad": _cpu_pad}),
    "cuda": ({**{n: "lower" for n in _CUDA_LOWER}, **{n: "fp32" for n in _CUDA_FP32},
              **{n: "promote" for n in _CUDA_PROMOTE}, **{n: "banned" for n in _CUDA_BANNED}}),
}


def policy(device_type, op_name, args=()):
    """'lower' / 'fp32' / 'promote' / 'banned' / None for op `op_name` under autocast."""
    p = _POLICIES.get(device_type, {}).get(op_name)
    return p(args) if callable(p) else p


# ---- the state ---------------------------------------------------------------------

DEFAULT_DTYPES = {"cpu": _dt.bfloat16, "cuda": _dt.float16}
# Any thread inside an enabled region: the dispatcher's per-op test is one list read.
ACTIVE = [0]
_active_lock = threading.Lock()


class _State(threading.local):
    def __init__(self):
        self.enabled = {}
        self.dtype = dict(DEFAULT_DTYPES)
        self.nesting = 0
        self.cache_enabled = True
        self.excluded = 0
        self.cache = {}


_tls = _State()


def _recount(delta):
    with _active_lock:
        ACTIVE[0] += delta


def is_enabled(device_type="cuda"):
    return bool(_tls.enabled.get(device_type, False))


def set_enabled(device_type, enabled):
    was = bool(_tls.enabled.get(device_type, False))
    enabled = bool(enabled)
    _tls.enabled[device_type] = enabled
    if was != enabled:
        _recount(1 if enabled else -1)


def get_dtype(device_type):
    return _tls.dtype.get(device_type, DEFAULT_DTYPES.get(device_type, _dt.float16))


def set_dtype(device_type, dtype):
    _tls.dtype[device_type] = dtype


def increment_nesting():
    _tls.nesting += 1
    return _tls.nesting


def decrement_nesting():
    _tls.nesting -= 1
    return _tls.nesting


def is_cache_enabled():
    return _tls.cache_enabled


def set_cache_enabled(enabled):
    _tls.cache_enabled = bool(enabled)


def clear_cache():
    _tls.cache.clear()


@contextlib.contextmanager
def excluded():
    """Run a composite body or a backward formula without autocast (PyTorch excludes the
    autocast dispatch keys below an op that autocast already handled)."""
    _tls.excluded += 1
    try:
        yield
    finally:
        _tls.excluded -= 1


def active_device_type():
    """The device type whose autocast applies to this thread's ops now, or None.

    Tensors are served by one place per process: on an accelerator, or in cuda-to-cpu
    mode, they stand for CUDA tensors and a 'cuda' region applies (before a 'cpu' one);
    on a plain CPU host they are CPU tensors, and only a 'cpu' region applies.
    """
    st = _tls
    if not ACTIVE[0] or st.excluded:
        return None
    en = st.enabled
    if en.get("cuda"):
        if devices.cuda_available():
            return "cuda"
    if en.get("cpu"):
        return "cpu"
    return None


def _eligible(t):
    d = t._dtype
    return d.is_floating_point and d is not _dt.float64


def _cast(t, dtype):
    """Differentiable cast, cached for leaf tensors that require grad (parameters): a
    region that uses a weight many times casts it once, as PyTorch's cast cache does."""
    if t._dtype is dtype or not _eligible(t):
        return t
    st = _tls
    cacheable = st.cache_enabled and t._requires_grad and t._grad_fn is None
    if cacheable:
        hit = st.cache.get((id(t), dtype))
        if hit is not None and hit[0] is t and hit[2] == t._storage.version:
            return hit[1]
    out = _upcalls.function_for("_to_copy")(t, dtype=dtype)
    if cacheable:
        st.cache[(id(t), dtype)] = (t, out, t._storage.version)
    return out


def _prioritize(tensors, lower):
    current = lower
    for t in tensors:
        if t is None or not _eligible(t):
            continue
        nxt = t._dtype
        if current is _dt.float32 or nxt is _dt.float32:
            current = _dt.float32
        elif nxt is not current:
            raise RuntimeError("Unexpected floating ScalarType in at::autocast::prioritize")
    return current


def cast_inputs(op_name, tensors, args=()):
    """New input tensors (same order as `tensors`) for `op_name` under the active
    autocast region, or None when nothing changes."""
    dev = active_device_type()
    if dev is None:
        return None
    p = policy(dev, op_name, args)
    if p is None:
        return None
    if p == "banned":
        raise RuntimeError(
            f"torch.nn.functional.{op_name} and torch.nn.{op_name.title().replace('_', '')}Loss are unsafe to "
            "autocast.\nMany models use a sigmoid layer right before the binary cross entropy layer.\nIn this "
            "case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_logits\nor "
            "torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and BCEWithLogits are\nsafe to "
            "autocast.")
    if p == "lower":
        target = get_dtype(dev)
    elif p == "fp32":
        target = _dt.float32
    else:
        target = _prioritize(tensors, get_dtype(dev))
    if all(t is None or t._dtype is target or not _eligible(t) for t in tensors):
        return None
    with excluded():
        return [None if t is None else _cast(t, target) for t in tensors]


def cast_args(op_name, ov, args):
    """The dispatcher's hook: `args` with the op's tensor inputs cast, or None when nothing
    changes.  Every argument is scanned (not only the overload's Tensor positions): some
    schemas take tensors as `Any` (einsum's operands) and PyTorch casts every tensor argument."""
    slots = []
    tensors = []
    for i, v in enumerate(args):
        if isinstance(v, Tensor):
            slots.append((i, None))
            tensors.append(v)
        elif isinstance(v, (list, tuple)):
            for k, e in enumerate(v):
                if isinstance(e, Tensor):
                    slots.append((i, k))
                    tensors.append(e)
    if not tensors:
        return None
    new = cast_inputs(op_name, tensors, args)
    if new is None:
        return None
    out = list(args)
    seqs = {}
    for (i, k), t in zip(slots, new):
        if k is None:
            out[i] = t
        else:
            seq = seqs.get(i)
            if seq is None:
                seq = seqs[i] = list(args[i])
            seq[k] = t
    for i, seq in seqs.items():
        out[i] = type(args[i])(seq) if isinstance(args[i], tuple) else seq
    return out
