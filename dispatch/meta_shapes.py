"""Shape rules of table ops on the 'meta' device (used by dispatch/meta.py).

A rule takes a `Call` and returns `(shape, dtype)` (or `(shape, dtype, strides)`), or a
list of them for ops with several results.  Shapes follow PyTorch's meta functions; the
errors for shapes that do not fit are PyTorch's.  Dtypes come from the op's promotion rule
(`Call.dtype`); for ops whose kernel decides the result dtype (promote="none"), from one
call of the real op on one-element stand-ins of the same dtypes and number of dimensions
(`Call.probed`): only ops whose result dtype cannot depend on sizes use it (elementwise
ops and reductions), and the result's shape always comes from the rule.

Ops whose result shape depends on the data (nonzero, masked_select, unique...) raise, as in
PyTorch.  An op without a rule that is a composite runs its composite on meta tensors.
"""
import math

from dispatch import dtypes as _dt, meta
from dispatch.device import as_device
from dispatch.overload import factory_dtype as _factory_dtype
from dispatch.tensor import Tensor

# Ops whose operands may sit on different devices (a copy between devices is their job).
CROSS_DEVICE = frozenset({"copy", "_to_copy"})
_probed = {}


class Call:
    """One op call seen by a shape rule: its arguments by name, its tensors, its dtypes."""

    def __init__(self, runner, ov, args, tensors, inplace):
        self.runner, self.ov, self.args, self.tensors, self.inplace = runner, ov, args, tensors, inplace
        self.keeps_layout = False  # set by elementwise rules: results keep the inputs' memory order

    def __getitem__(self, name):
        return self.args[self.ov.names.index(name)]

    def get(self, name, default=None):
        names = self.ov.names
        return self.args[names.index(name)] if name in names else default

    def has(self, name):
        return name in self.ov.names

    @property
    def self(self):
        return self.args[0]

    def given_dtype(self):
        p = self.ov.dtype_pos
        return None if p is None else self.args[p]

    def dtype(self):
        """The result dtype: the promotion rule's, or the real op's on stand-ins."""
        runner = self.runner
        if not self.tensors and not self.ov.list_pos:
            return self.factory_dtype()
        if runner.promote != "none":
            return runner._dtypes(self.ov, self.args, self.tensors, "meta", self.inplace)[1]
        return self.probed()

    def factory_dtype(self, default=None):
        given = self.given_dtype()
        if given is not None:
            return given
        rule = self.runner.entry["factory_dtype"]
        if rule:
            return _factory_dtype(rule, self.ov, self.args)
        return default or _dt.get_default_dtype()

    def probed(self):
        """Result dtype(s) of the real op on one-element stand-ins (cached per dtypes)."""
        ov, args = self.ov, self.args
        if ov.generator_pos is not None:
            raise AssertionError(f"mstorch: random op '{self.runner.name}' must not be probed")
        key = [self.runner.name, id(ov)]
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                key.append((a._dtype, a.dim()))
            elif i in ov.list_pos:
                key.append(tuple((t._dtype, t.dim()) if t is not None else None for t in a))
            else:
                key.append(a if isinstance(a, (int, float, bool, str, type(None), _dt.dtype)) else type(a))
        key = tuple(key)
        got = _probed.get(key)
        if got is None:
            stand = list(args)
            for i in ov.tensor_pos:
                if isinstance(stand[i], Tensor):
                    stand[i] = meta.standin(stand[i])
            for i in ov.list_pos:
                stand[i] = [None if t is None else meta.standin(t) for t in stand[i]]
            res = meta.probe(lambda: self.runner._run(ov, stand))
            got = _probed[key] = tuple(r._dtype for r in res) if isinstance(res, tuple) else res._dtype
        return got


# ---- helpers -------------------------------------------------------------------------

def broadcast(*shapes):
    out = []
    for shape in shapes:
        shape = tuple(shape)
        if len(shape) > len(out):
            out = [1] * (len(shape) - len(out)) + out
        for k in range(1, len(shape) + 1):
            a, b = out[-k], shape[-k]
            if a == b or b == 1:
                continue
            if a == 1:
                out[-k] = b
                continue
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
                               f"dimension {len(out) - k}")
    return tuple(out)


def wrap_dim(dim, ndim):
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)


def reduced(shape, dim, keepdim):
    shape = list(shape)
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        dims = set(range(len(shape)))
    else:
        dims = {wrap_dim(d, len(shape)) for d in (dim if isinstance(dim, (list, tuple)) else (dim,))}
    if keepdim:
        return tuple(1 if i in dims else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in dims)


def _shapes(c):
    out = [t.shape for t in c.tensors]
    return out


def _data_dependent(c):
    raise NotImplementedError(f"mstorch: torch.{c.runner.name}() cannot run on the 'meta' device: its result's "
                              "shape depends on the data, which meta tensors do not have")


# ---- rules ---------------------------------------------------------------------------

def elementwise(c):
    c.keeps_layout = True
    return broadcast(*_shapes(c)), c.dtype()


def like_self(c):
    """Result of self's shape and dtype (in-place fills, random fills, copies)."""
    c.keeps_layout = True
    return tuple(c.self.shape), c.self._dtype


def fresh_self(c):
    """A contiguous copy of self (`_clone`)."""
    return tuple(c.self.shape), c.self._dtype


def like_self_promoted(c):
    """Self's shape, the op's dtype (cumsum, softmax, tril, scatter...)."""
    c.keeps_layout = True
    return tuple(c.self.shape), c.dtype()


def masked_fill(c):
    broadcast(c.self.shape, c["mask"].shape)
    c.keeps_layout = True
    return tuple(c.self.shape), c.self._dtype


def copy(c):
    self, src = c.self, c["src"]
    if not meta.is_meta(self):
        meta.copy_out_of_meta()
    b = broadcast(self.shape, src.shape)
    if b != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(b)}")
    return tuple(self.shape), self._dtype


def to_copy(c):
    d = c.get("device")
    if d is not None and as_device(d).type != "meta":
        meta.copy_out_of_meta()
    self = c.self
    dtype = c.given_dtype() or self._dtype
    return tuple(self.shape), dtype, meta.dense_strides(tuple(self.shape), self.stride())


def sized_factory(c):
    size = c["size"]
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = size[0]
    return tuple(size), c.factory_dtype()


def int_factory(c):
    size = c["size"]
    return tuple(size), c.factory_dtype(_dt.int64)


def randperm(c):
    return (int(c["n"]),), c.factory_dtype(_dt.int64)


def eye(c):
    n = c["n"]
    m = c.get("m")
    return (n, n if m is None else m), c.factory_dtype()


def linspace(c):
    steps = c["steps"]
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return (steps,), c.factory_dtype()


def fftfreq(c):
    return (c["n"],), c.factory_dtype()


def rfftfreq(c):
    return (c["n"] // 2 + 1,), c.factory_dtype()


def arange(c):
    start, end, step = c["start"], c["end"], c["step"]
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    dtype = c.factory_dtype()
    # PyTorch sizes integral ranges from the bounds converted to the integer type.
    conv = float if dtype.is_floating_point or dtype.is_complex else int
    start, end, step = (conv(v) for v in values)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    return (max(math.ceil((end - start) / step), 0),), dtype


def normal(c):
    if c.has("size"):
        return tuple(c["size"]), c.factory_dtype()
    shapes = [t.shape for t in c.tensors]
    dtype = c.given_dtype() or c.tensors[0]._dtype
    return broadcast(*shapes), dtype


def bernoulli(c):
    return tuple(c.self.shape), c.self._dtype


def multinomial(c):
    shape = tuple(c.self.shape)
    return shape[:-1] + (c["num_samples"],), _dt.int64


def reduction(c):
    """Reductions and their overloads: full, over dims (maybe with indices), or binary."""
    if c.has("other"):
        return elementwise(c)
    self = c.self
    dim, keepdim = c.get("dim"), c.get("keepdim", False)
    shape = reduced(self.shape, dim, keepdim)
    if c.ov.nret == 2:
        name = c.runner.name
        second = self._dtype if name == "aminmax" else _dt.int64
        first = self._dtype
        return [(shape, first), (shape, second)]
    return shape, c.dtype()


def cumulative_pair(c):
    shape = tuple(c.self.shape)
    wrap_dim(c["dim"], len(shape))
    return [(shape, c.self._dtype), (shape, _dt.int64)]


def sort(c):
    shape = tuple(c.self.shape)
    wrap_dim(c["dim"], len(shape))
    return [(shape, c.self._dtype), (shape, _dt.int64)]


def topk(c):
    shape = list(c.self.shape)
    k = c["k"]
    d = wrap_dim(c["dim"], len(shape))
    if shape:
        if not 0 <= k <= shape[d]:
            raise RuntimeError("selected index k out of range")
        shape[d] = k
    return [(tuple(shape), c.self._dtype), (tuple(shape), _dt.int64)]


def kthvalue(c):
    shape = reduced(c.self.shape, c["dim"], c.get("keepdim", False))
    return [(shape, c.self._dtype), (shape, _dt.int64)]


def mm(c):
    a, b = c.self, c.args[1]
    if a.dim() != 2 or b.dim() != 2:
        raise RuntimeError(f"{'self' if a.dim() != 2 else 'mat2'} must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")
    return (a.shape[0], b.shape[1]), c.dtype()


def bmm(c):
    a, b = c.self, c.args[1]
    if a.dim() != 3 or b.dim() != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                           f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return (a.shape[0], a.shape[1], b.shape[2]), c.dtype()


def linear(c):
    x, w = c["input"], c["weight"]
    in_features = w.shape[-1] if w.dim() else 1
    if x.dim() == 0 or x.shape[-1] != in_features:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_rows(x)}x{x.shape[-1] if x.dim() else 1} "
                           f"and {in_features}x{w.shape[0] if w.dim() == 2 else 1})")
    out = tuple(x.shape[:-1]) + ((w.shape[0],) if w.dim() == 2 else ())
    return out, c.dtype()


def _rows(x):
    n = 1
    for s in x.shape[:-1]:
        n *= s
    return n


def cat(c):
    tensors = [t for t in c["tensors"]]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    # PyTorch skips legacy empty 1-D tensors of shape (0,).
    shaped = [t for t in tensors if not (t.dim() == 1 and t.shape[0] == 0)] or tensors[:1]
    ref = tuple(shaped[0].shape)
    if not ref:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = wrap_dim(c["dim"], len(ref))
    total = 0
    for k, t in enumerate(shaped):
        s = tuple(t.shape)
        if len(s) != len(ref):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} and {len(s)}")
        for i, (x, y) in enumerate(zip(ref, s)):
            if i != d and x != y:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {x} but "
                                   f"got size {y} for tensor number {k} in the list.")
        total += s[d]
    out = list(ref)
    out[d] = total
    return tuple(out), c.dtype()


def stack(c):
    tensors = list(c["tensors"])
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tuple(tensors[0].shape)
    for k, t in enumerate(tensors):
        if tuple(t.shape) != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 and "
                               f"{list(t.shape)} at entry {k}")
    d = wrap_dim(c["dim"], len(ref) + 1)
    out = list(ref)
    out.insert(d, len(tensors))
    return tuple(out), c.dtype()


def embedding(c):
    w, idx = c["weight"], c["indices"]
    if w.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    if idx._dtype not in (_dt.int64, _dt.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {idx.type()} instead (while checking arguments for embedding)")
    return tuple(idx.shape) + (w.shape[1],), w._dtype


def gather(c):
    self, index = c.self, c["index"]
    wrap_dim(c["dim"], self.dim())
    return tuple(index.shape), self._dtype


def index_select(c):
    self, index = c.self, c["index"]
    d = wrap_dim(c["dim"], self.dim())
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    shape = list(self.shape)
    if shape:
        shape[d] = index.numel()
    return tuple(shape), self._dtype


def take(c):
    return tuple(c["index"].shape), c.self._dtype


def index(c):
    """Advanced indexing: broadcast index shapes replace the indexed dims (in place when the
    indexed dims are adjacent, else in front)."""
    self, indices = c.self, list(c["indices"])
    for t in indices:
        if t is not None and t._dtype in (_dt.bool_, _dt.uint8):
            _data_dependent(c)
    if len(indices) > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()} (got {len(indices)})")
    used = [k for k, t in enumerate(indices) if t is not None]
    if not used:
        return tuple(self.shape), self._dtype
    b = broadcast(*[indices[k].shape for k in used])
    shape = list(self.shape)
    adjacent = used == list(range(used[0], used[-1] + 1))
    rest_before = shape[:used[0]] if adjacent else []
    rest = [n for k, n in enumerate(shape) if k not in used and (not adjacent or k > used[-1])]
    if adjacent:
        return tuple(rest_before) + b + tuple(rest), self._dtype
    return b + tuple(rest), self._dtype


def one_hot(c):
    n = c["num_classes"]
    if n < 0:
        _data_dependent(c)
    return tuple(c["tensor"].shape) + (n,), _dt.int64


def constant_pad_nd(c):
    self, pad = c.self, list(c["pad"])
    if len(pad) % 2 or len(pad) // 2 > self.dim():
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}" if len(pad) % 2 else
                           "Length of pad should be no more than twice the number of dimensions of the input.")
    shape = list(self.shape)
    for k in range(len(pad) // 2):
        d = len(shape) - 1 - k
        shape[d] += pad[2 * k] + pad[2 * k + 1]
        if shape[d] < 0:
            raise RuntimeError(f"The input size {self.shape[d]}, plus negative padding {pad[2 * k]} and "
                               f"{pad[2 * k + 1]} resulted in a negative output size, which is invalid.")
    return tuple(shape), self._dtype


def _spatial(n, value, name):
    v = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(v) == 1:
        v = v * n
    if len(v) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values")
    return v


def conv(c):
    x, w = c["input"], c["weight"]
    n = w.dim() - 2
    transposed = c.runner.name.startswith("conv_transpose")
    batched = x.dim() == n + 2
    if x.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to conv{n}d, but got input of "
                           f"size: {list(x.shape)}")
    spatial = list(x.shape[-n:])
    groups = c.get("groups", 1)
    stride = _spatial(n, c.get("stride", 1), "stride")
    dilation = _spatial(n, c.get("dilation", 1), "dilation")
    ks = list(w.shape[2:])
    channels = x.shape[-n - 1]
    if transposed:
        padding = _spatial(n, c.get("padding", 0), "padding")
        outpad = _spatial(n, c.get("output_padding", 0), "output_padding")
        if channels != w.shape[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {list(w.shape)}, expected input{list(x.shape)} to "
                               f"have {w.shape[0]} channels, but got {channels} channels instead")
        out_c = w.shape[1] * groups
        out = [(i - 1) * s - 2 * p + d * (k - 1) + op + 1
               for i, s, p, d, k, op in zip(spatial, stride, padding, dilation, ks, outpad)]
    else:
        pad = c.get("padding", 0)
        if channels != w.shape[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {list(w.shape)}, expected input{list(x.shape)} "
                               f"to have {w.shape[1] * groups} channels, but got {channels} channels instead")
        out_c = w.shape[0]
        if isinstance(pad, str):
            if pad == "same":
                out = spatial
            elif pad == "valid":
                out = [(i - d * (k - 1) - 1) // s + 1 for i, s, d, k in zip(spatial, stride, dilation, ks)]
            else:
                raise RuntimeError(f"Invalid padding string: '{pad}'")
        else:
            padding = _spatial(n, pad, "padding")
            out = [(i + 2 * p - d * (k - 1) - 1) // s + 1
                   for i, s, p, d, k in zip(spatial, stride, padding, dilation, ks)]
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Calculated output size: {out}. Output size is too small")
    shape = ((x.shape[0],) if batched else ()) + (out_c,) + tuple(out)
    return shape, x._dtype


def max_pool2d_with_indices(c):
    x = c.self
    ks = _spatial(2, c["kernel_size"], "kernel_size")
    stride = c.get("stride")
    stride = ks if not stride else _spatial(2, stride, "stride")
    padding = _spatial(2, c.get("padding", 0), "padding")
    dilation = _spatial(2, c.get("dilation", 1), "dilation")
    ceil = c.get("ceil_mode", False)
    out = []
    for i, k, s, p, d in zip(x.shape[-2:], ks, stride, padding, dilation):
        span = i + 2 * p - d * (k - 1) - 1
        o = (span + (s - 1 if ceil else 0)) // s + 1
        if ceil and (o - 1) * s >= i + p:
            o -= 1
        out.append(o)
    shape = tuple(x.shape[:-2]) + tuple(out)
    return [(shape, x._dtype), (shape, _dt.int64)]


def _rule_by_family(entry):
    if entry["family"] in ("pointwise", "pointwise_more"):
        return elementwise
    return None


RULES = {
    # creation and random factories
    "empty": sized_factory, "zeros": sized_factory, "ones": sized_factory, "full": sized_factory,
    "rand": sized_factory, "randn": sized_factory, "randint": int_factory, "randperm": randperm,
    "eye": eye, "arange": arange, "linspace": linspace, "fftfreq": fftfreq, "rfftfreq": rfftfreq,
    "normal": normal, "bernoulli": bernoulli, "multinomial": multinomial,
    # in-place fills of self (random ones draw nothing here)
    "fill": like_self, "zero": like_self, "uniform": like_self, "normal_functional": like_self,
    "bernoulli_": like_self, "cauchy": like_self, "exponential": like_self, "geometric": like_self,
    "log_normal": like_self, "random": like_self, "copy": copy, "_to_copy": to_copy, "_clone": fresh_self,
    "conj_physical": like_self,
    # elementwise outside the pointwise families
    "gelu": elementwise, "gelu_backward": elementwise, "logsigmoid": elementwise, "softplus": elementwise,
    "i0": elementwise, "i1": elementwise, "tan": elementwise, "isin": like_self_promoted,
    "masked_fill": masked_fill,
    # self-shaped
    "tril": like_self_promoted, "triu": like_self_promoted, "flip": like_self, "roll": like_self,
    "cumsum": like_self_promoted, "cumprod": like_self_promoted, "softmax": like_self_promoted,
    "log_softmax": like_self_promoted, "index_add": like_self, "index_copy": like_self, "index_fill": like_self,
    "index_put": like_self, "scatter": like_self, "scatter_add": like_self, "scatter_reduce": like_self,
    "masked_scatter": like_self, "put": like_self, "cummax": cumulative_pair, "cummin": cumulative_pair,
    # reductions
    "sum": reduction, "mean": reduction, "prod": reduction, "amax": reduction, "amin": reduction,
    "all": reduction, "any": reduction, "argmax": reduction, "argmin": reduction, "std": reduction,
    "var": reduction, "max": reduction, "min": reduction, "median": reduction, "aminmax": reduction,
    "sort": sort, "topk": topk, "kthvalue": kthvalue, "mode": kthvalue,
    # linear algebra, shape, nn
    "mm": mm, "bmm": bmm, "linear": linear, "cat": cat, "stack": stack, "embedding": embedding,
    "gather": gather, "index_select": index_select, "take": take, "index": index, "one_hot": one_hot,
    "constant_pad_nd": constant_pad_nd, "conv1d": conv, "conv2d": conv, "conv3d": conv,
    "conv_transpose1d": conv, "conv_transpose2d": conv, "conv_transpose3d": conv,
    "max_pool2d_with_indices": max_pool2d_with_indices,
    # data-dependent shapes: PyTorch has no meta function for them either
    "nonzero": _data_dependent, "argwhere": _data_dependent, "masked_select": _data_dependent,
    "unique": _data_dependent, "_unique2": _data_dependent, "unique_dim": _data_dependent,
    "unique_consecutive": _data_dependent, "unique_dim_consecutive": _data_dependent,
    "bincount": _data_dependent, "repeat_interleave": None,
}


def rule_for(runner):
    name = runner.name
    if name in RULES:
        return RULES[name]
    entry = runner.entry
    if any(k.startswith("composite:") for k in entry["kernels"].get("cpu") or ()):
        return None
    return _rule_by_family(entry)
