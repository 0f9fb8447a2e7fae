"""One path for every op: bind -> convert -> promote -> select kernel -> run -> wrap -> record.

`function_for(op, variant)` returns the torch-level callable for an op; the first call
of an op builds its runner once (overloads, converters, promotion rule, kernel cache).
"""
import functools
import numbers
import os as _os

import numpy as np

from ops_table.generated import OPS
from dispatch import arrays, autocast as _autocast, backend as _backend, dtypes as _dt, grad_mode, kernels as _kernels
from dispatch import device_context as _device_context, meta as _meta
from dispatch.binder import converter, dtype_defaults_namespace, make_signature_function
from dispatch.errors import translate_kernel_error
from dispatch.mslock import LOCK as _LOCK
from dispatch.tensor import Tensor

_TENSOR_TYPES = ("Tensor", "Tensor(a)", "Tensor(a!)", "Tensor(b!)")
_FACTORY_ARGS = ("layout", "device", "pin_memory", "requires_grad", "memory_format")
_ALIAS_CHECKS = 64
_AUTOCAST_ACTIVE = _autocast.ACTIVE  # a one-element list: regions open in any thread
_NUMBER = (bool, int, float, complex, numbers.Number)
_runners = {}
_functions = {}
# Compute dtypes MindSpore's CPU kernels lack almost everywhere; computing in float32
# and rounding is exact for + - * / sqrt and within tolerance elsewhere (DESIGN.md).
_BACKEND_COMPUTE = {("cpu", "bfloat16"): _dt.float32}
# Ops that take inputs as given (promote="none") still get the lowering: bfloat16 inputs
# are computed in float32 and floating results rounded back (see _unwrap / _wrap_one).
_LOWER = object()
_LOWERED_FROM = {getattr(_dt, name) for _, name in _BACKEND_COMPUTE}


def runner(name):
    r = _runners.get(name)
    if r is None:
        entry = OPS.get(name)
        if entry is None:
            raise NotImplementedError(f"mstorch does not implement the torch op '{name}' yet")
        r = _runners[name] = OpRunner(name, entry)
    return r


def function_for(name, namespace="torch", variant="function"):
    # The `torch.*` spelling of a linalg op names its matrix `input`, torch.linalg's `A` (ops
    # only in `torch`, such as torch.svd_lowrank, keep `A`).
    legacy_linalg = (namespace == "torch" and variant == "function" and _first_arg(name) == "A"
                     and "torch.linalg" in OPS[name].get("namespaces", ()))
    key = (name, variant, legacy_linalg)
    f = _functions.get(key)
    if f is None:
        f = _functions[key] = runner(name).make_callable(variant, legacy_linalg)
    return f


def _first_arg(name):
    entry = OPS.get(name)
    args = entry["overloads"][0]["args"] if entry else ()
    return args[0]["name"] if args else None


class Overload:
    __slots__ = ("args", "convs", "tensor_pos", "list_pos", "write_pos", "nret", "names", "dtype_pos",
                 "generator_pos", "factory_pos", "kernel_pos", "plans", "return_type")

    def __init__(self, schema):
        self.args = schema["args"]
        self.convs = []
        self.tensor_pos, self.list_pos = [], []
        self.dtype_pos = self.generator_pos = None
        for i, a in enumerate(self.args):
            typ = a["type"]
            base = typ.rstrip("?")
            if base in _TENSOR_TYPES:
                self.tensor_pos.append(i)
            elif base.startswith("Tensor") and base.endswith("[]"):
                self.list_pos.append(i)
            else:
                fn, expected = converter(typ)
                if fn is not None:
                    self.convs.append((i, fn, expected, a["name"]))
            if a["name"] == "dtype" and base == "ScalarType":
                self.dtype_pos = i
            if base == "Generator":
                self.generator_pos = i
        # Arguments the schema marks as written (`Tensor(a!)[] self`): a kernel of such an op
        # writes them itself (see dispatch/written_args.py).
        self.write_pos = frozenset(i for i, a in enumerate(self.args) if a.get("writes"))
        self.nret = len(schema["returns"])
        self.names = [a["name"] for a in self.args]
        self.plans = {}
        names = [r["name"] for r in schema["returns"]]
        # (values, indices)-style results are named tuples, as torch.return_types.<op>.
        self.return_type = _return_type(schema["name"], names) if self.nret > 1 and all(names) else None
        # Arguments the dispatcher honours itself, for every factory alike; kernels never see them.
        self.factory_pos = {a["name"]: i for i, a in enumerate(self.args) if a["name"] in _FACTORY_ARGS}
        self.kernel_pos = [i for i in range(len(self.args)) if i not in self.factory_pos.values()] \
            if self.factory_pos else None


class OpRunner:
    def __init__(self, name, entry):
        self.name = name
        self.entry = entry
        self.overloads = [Overload(s) for s in entry["overloads"]]
        self.promote = entry["promote"]
        self._kernels = {}
        self.nondiff = set(entry["nondiff_outputs"])
        # A Python number may stand for a Tensor argument when the op promotes (it becomes
        # a 0-d tensor of the computed dtype) or when a composite handles it itself.
        self._has_host_kernel = bool(entry["kernels"].get("host"))
        self._factory_dtype = entry["factory_dtype"]
        self._numbers_as_tensors = entry["promote"] != "none" or all(
            c.startswith("composite:") for cands in entry["kernels"].values() for c in cands)
        # Kernels must return fresh memory, but several MindSpore ops (Reshape,
        # BroadcastTo, ExpandDims, Cast to the same dtype...) return views of their
        # input or of a temporary (whose asnumpy() is then a copy, so write-back through
        # it would be lost). Each op's first calls are checked; one that returned such a
        # view has every later result checked too.
        self._alias_checks = _ALIAS_CHECKS
        self.view = entry.get("view")
        self.backward = entry.get("backward")
        self.check = None
        if entry.get("check"):
            self.check = _kernels.resolve("fn:" + entry["check"]).fn

    # ---- callables ----------------------------------------------------------------
    def make_callable(self, variant, legacy_linalg=False):
        ns = dtype_defaults_namespace()
        fname = self.name + ("_" if variant == "inplace" else "")
        if len(self.overloads) == 1:
            ov = self.overloads[0]
            body = self._body(ov, variant)
            ns["_body"] = body
            sig_variant = "out" if (variant == "function" and "out" in self.entry["variants"]) else variant
            fn, names, keywords = make_signature_function(fname, ov.args, sig_variant, "_body", ns, legacy_linalg)
            overloads = (tuple(names),)
        else:
            fn, keywords, overloads = self._overloaded(variant, ns, legacy_linalg)
        fn.__name__ = fname
        fn.__qualname__ = fname
        fn.__doc__ = self.entry.get("doc")
        # For introspection: the keyword names the callable takes (NumPy spellings included)
        # and each overload's argument names in order.
        fn.__mstorch_keywords__ = keywords
        fn.__mstorch_overloads__ = overloads
        return fn

    def _overloaded(self, variant, ns, legacy_linalg):
        binders = []
        keywords, overloads = frozenset(), []
        with_out = variant == "function" and "out" in self.entry["variants"]
        for ov in self.overloads:
            ns2 = dict(ns)
            ns2["_body"] = lambda a, out=None: (a, out)
            fn, names, kw = make_signature_function(self.name, ov.args, "out" if with_out else variant, "_body", ns2,
                                                    legacy_linalg)
            binders.append((ov, fn, self._body(ov, variant)))
            keywords |= kw
            overloads.append(tuple(names))
        name = self.name

        def call(*args, **kwargs):
            last = None
            for ov, bind, body in binders:
                try:
                    bound = bind(*args, **kwargs)
                except TypeError as e:
                    # Only the message: the exception's traceback holds this frame and, through
                    # it, every caller's frame and locals, in a cycle only the collector frees
                    # (a DataLoader iterator made there outlived its last reference).
                    last = str(e)
                    continue
                if not self._accepts(ov, bound[0]):
                    continue
                return body(*bound) if with_out else body(bound[0])
            raise TypeError(f"{name}() received an invalid combination of arguments" +
                            (f": {last}" if last else ""))
        return call, keywords, tuple(overloads)

    def _accepts(self, ov, args):
        for i in ov.tensor_pos:
            v = args[i]
            if not (isinstance(v, (Tensor, _NUMBER)) or v is None and ov.args[i]["type"].endswith("?")
                    or arrays.is_ms_array(v)):
                return False
            if isinstance(v, _NUMBER) and not isinstance(v, Tensor) and not self._numbers_as_tensors:
                return False
        for i, fn, _, _ in ov.convs:
            v = args[i]
            if v is None:
                if ov.args[i]["type"].endswith("?") or ov.args[i]["default"] is None:
                    continue
                return False
            try:
                fn(v)
            except (TypeError, ValueError, OverflowError):
                return False
        for i in ov.list_pos:
            if not isinstance(args[i], (list, tuple)):
                return False
            # A list of Python numbers is PyTorch's "tuple of Scalars" overload
            # (_foreach_mul_(xs, [2.0, 3.0])), never a tuple of Tensors.
            if any(isinstance(x, _NUMBER) and not isinstance(x, Tensor) for x in args[i]):
                return False
        return True

    def _body(self, ov, variant):
        run = self.run
        if variant == "inplace":
            return lambda args: run(ov, args, None, True)
        return functools.partial(run, ov)

    # ---- the call -----------------------------------------------------------------
    def run(self, ov, args, out=None, inplace=False):
        # MindSpore's runtime is not thread-safe (dispatch/mslock.py); holding the lock for
        # the whole op also keeps this runner's caches (kernel choice and probing, promotion
        # plans, the alias-check countdown) consistent when threads share an op.
        with _LOCK:
            return self._run(ov, args, out, inplace)

    def _run(self, ov, args, out=None, inplace=False):
        args = list(args)
        if _AUTOCAST_ACTIVE[0] and not inplace:
            cast = _autocast.cast_args(self.name, ov, args)
            if cast is not None:
                args = cast
        for i, fn, expected, aname in ov.convs:  # noqa: B007 - usually empty
            v = args[i]
            if v is not None:
                try:
                    args[i] = fn(v)
                except (TypeError, ValueError, OverflowError):
                    raise TypeError(f"{self.name}(): argument '{aname}' (position {i + 1}) must be {expected}, "
                                    f"not {type(v).__name__}") from None
        tensors = []
        for i in ov.tensor_pos:
            v = args[i]
            if type(v) is Tensor:
                tensors.append(v)
            elif isinstance(v, Tensor):
                if v.is_sparse:  # sparse COO operands are served (or refused) apart
                    from dispatch.sparse import run_op
                    return run_op(self.name, ov.names, args, out, inplace)
                tensors.append(v)
            elif v is None or isinstance(v, _NUMBER):
                if v is None and not ov.args[i]["type"].endswith("?"):
                    raise TypeError(f"{self.name}(): argument '{ov.names[i]}' (position {i + 1}) must be Tensor, "
                                    "not NoneType")
            else:
                args[i] = v = _coerce_tensor(self.name, ov, i, v)
                tensors.append(v)
        for i in ov.list_pos:  # noqa: B007 - usually empty
            seq = args[i]
            if isinstance(seq, Tensor) or not isinstance(seq, (list, tuple)):
                raise TypeError(f"{self.name}(): argument '{ov.names[i]}' (position {i + 1}) must be tuple of "
                                f"Tensors, not {type(seq).__name__}")
            seq = [x if isinstance(x, Tensor) or x is None else _coerce_tensor(self.name, ov, i, x) for x in seq]
            args[i] = seq
            tensors.extend(x for x in seq if x is not None)
        if ov.generator_pos is not None and args[ov.generator_pos] is None:
            from dispatch.random import default_generator
            args[ov.generator_pos] = default_generator
        if self.check is not None:
            self.check(*args)
        if _meta.involved(ov, args, tensors):  # no data: shapes only (dispatch/meta.py)
            return _meta.run(self, ov, args, tensors, out, inplace)
        backend = _backend_of(tensors)
        if self.view is not None:
            result = self._run_view(ov, args)
            return _autograd_record(self, ov, args, tensors, result, inplace, out)
        run_on = backend
        if self._has_host_kernel and backend != "host" and _any_empty(tensors):
            # MindSpore CPU kernels can die on empty inputs (ReverseV2 raises SIGFPE);
            # NumPy handles them, and an empty input makes the host detour free.
            run_on = "host"
        kernel = self._kernels.get(run_on) or self._kernel(run_on, ov, args, tensors)
        if ov.write_pos and not kernel.composite:
            return _run_writing_kernel(self.name, ov, args, kernel, run_on)
        if kernel.composite:
            if _AUTOCAST_ACTIVE[0]:
                with _autocast.excluded():
                    result = self._run_composite(kernel, args, ov)
            else:
                result = self._run_composite(kernel, args, ov)
            if ov.return_type is not None and type(result) is tuple:
                result = ov.return_type(*result)
            if inplace:
                return _inplace_commit(self, ov, args, tensors, result, composite=True)
            if out is not None:
                return _write_out(self.name, out, result, tensors)
            return result
        if self._factory_dtype and ov.dtype_pos is not None and args[ov.dtype_pos] is None:
            args[ov.dtype_pos] = _factory_dtype(self.entry["factory_dtype"], ov, args)
        compute, result_dtype = self._dtypes(ov, args, tensors, run_on, inplace)
        kargs = self._unwrap(ov, args, compute, run_on)
        if ov.kernel_pos is not None:
            kargs = [kargs[i] for i in ov.kernel_pos]
        try:
            raw = kernel.fn(*kargs)
        except _FallbackToComposite as fb:
            self._kernels[backend] = fb.args[0]
            return self._run(ov, args, out, inplace)
        except Exception as exc:  # MindSpore reports bad input with its own types and C++ traces
            raise translate_kernel_error(self.name, exc) from None
        if run_on != backend:
            raw = _host_to_backend(raw, backend)
        if compute is _LOWER and (ov.dtype_pos is None or args[ov.dtype_pos] is None):
            raw = _round_back(raw, tensors)
        if self._alias_checks:
            raw, aliased = _own_memory(raw, kargs)
            self._alias_checks = -1 if aliased else self._alias_checks - 1
        result = self._wrap(ov, raw, result_dtype)
        if ov.factory_pos:
            result = _apply_factory_args(self.name, ov, args, result)
        if inplace:
            return _inplace_commit(self, ov, args, tensors, result)
        result = _autograd_record(self, ov, args, tensors, result, False, out)
        if out is not None:
            return _write_out(self.name, out, result, tensors)
        return result

    def _kernel(self, backend, ov, args, tensors):
        k = self._kernels.get(backend)
        if k is None:
            specs = _kernels.select(self.entry, backend)
            if not specs:
                raise NotImplementedError(f"mstorch: no kernel for torch op '{self.name}' on backend '{backend}'")
            k = self._kernels[backend] = _probe_first(self, specs, backend)
        return k

    def _dtypes(self, ov, args, tensors, backend, inplace):
        rule = self.promote
        if rule == "none":
            for t in tensors:
                if (backend, t._dtype.name) in _BACKEND_COMPUTE:
                    return _LOWER, None
            return None, None
        # Promotion depends only on operand dtypes, 0-dim-ness and scalar types: cache it.
        key = [backend, None if ov.dtype_pos is None else args[ov.dtype_pos]]
        if rule == "float_unless_rounded":
            key.append(_rounded(ov, args))
        for i in ov.tensor_pos:
            v = args[i]
            key.append((v._dtype, not v._data.shape) if isinstance(v, Tensor) else type(v))
        for i in ov.list_pos:
            key.extend((t._dtype, not t._data.shape) if t is not None else None for t in args[i])
        key = tuple(key)
        plan = ov.plans.get(key)
        if plan is None:
            plan = ov.plans[key] = self._promote(ov, args, tensors, backend)
        return plan

    def _promote(self, ov, args, tensors, backend):
        rule = self.promote
        if ov.dtype_pos is not None and args[ov.dtype_pos] is not None:
            compute = args[ov.dtype_pos]
        elif rule == "first":
            compute = tensors[0]._dtype
        elif rule == "sum":
            compute = tensors[0]._dtype
            if compute.category < _dt._FLOAT:
                compute = _dt.int64
        else:
            ops = []
            for i in ov.tensor_pos:
                v = args[i]
                if isinstance(v, Tensor):
                    ops.append((v._dtype, len(v._data.shape)))
                elif v is not None:
                    ops.append(v)
            for i in ov.list_pos:
                ops.extend((t._dtype, len(t._data.shape)) for t in args[i] if t is not None)
            compute = _dt.result_type(*ops) if ops else _dt.get_default_dtype()
            if (rule == "float" or rule == "float_unless_rounded" and not _rounded(ov, args)) \
                    and compute.category < _dt._FLOAT:
                compute = _dt.get_default_dtype()
        if rule == "compare":
            result = _dt.bool_
        elif rule == "int64":
            result = _dt.int64
        else:
            result = compute
        lowered = self.entry["compute_dtypes"].get(compute.name) or _BACKEND_COMPUTE.get((backend, compute.name))
        if lowered is not None:
            compute = lowered if isinstance(lowered, _dt.dtype) else getattr(_dt, lowered)
        return compute, result

    def _unwrap(self, ov, args, compute, backend):
        if compute is _LOWER:
            return self._unwrap_lowered(ov, args, backend)
        out = list(args)
        for i in ov.tensor_pos:
            v = args[i]
            if isinstance(v, Tensor):
                out[i] = _array_for(v, compute, backend)
            elif v is not None:
                out[i] = arrays.scalar_array(v, compute or _dt.scalar_dtype(v), backend)
        for i in ov.list_pos:
            out[i] = [None if t is None else _array_for(t, compute, backend) for t in args[i]]
        return out

    def _unwrap_lowered(self, ov, args, backend):
        out = self._unwrap(ov, args, None, backend)
        for i in ov.tensor_pos:
            v = args[i]
            if isinstance(v, Tensor) and (backend, v._dtype.name) in _BACKEND_COMPUTE:
                out[i] = arrays.cast(out[i], _BACKEND_COMPUTE[(backend, v._dtype.name)])
        for i in ov.list_pos:
            out[i] = [a if t is None or (backend, t._dtype.name) not in _BACKEND_COMPUTE
                      else arrays.cast(a, _BACKEND_COMPUTE[(backend, t._dtype.name)])
                      for t, a in zip(args[i], out[i])]
        return out

    def _wrap(self, ov, raw, result_dtype):
        if ov.nret == 1:
            return _wrap_one(raw, result_dtype)
        out = tuple(_wrap_one(r, result_dtype if k not in self.nondiff else None) for k, r in enumerate(raw))
        return ov.return_type(*out) if ov.return_type is not None else out

    def _run_view(self, ov, args):
        geom = _kernels.resolve("fn:" + self.view).fn
        src = args[0]
        specs = geom(src.shape, src.stride(), src.storage_offset(), *args[1:])
        if ov.nret == 1 and not isinstance(specs, list):
            return _make_view(src, *specs)
        return tuple(_make_view(src, *g) for g in specs)

    def _run_composite(self, kernel, args, ov):
        from dispatch.opsns import T
        with _device_context.internal():  # a composite's own tensors ignore the user's default device
            return kernel.fn(T, *args)


def _rounded(ov, args):
    """Whether a division rounds (div(rounding_mode='floor'/'trunc') keeps integer dtypes)."""
    return args[ov.names.index("rounding_mode")] is not None


def _make_view(src, size, stride, offset):
    data = arrays.strided_view(src._storage, size, stride, offset)
    t = Tensor._wrap(data, src._dtype, src._storage, src._base if src._base is not None else src)
    t._device = src._device
    return t


_return_types = {}


def _return_type(op, names):
    key = (op, tuple(names))
    cls = _return_types.get(key)
    if cls is None:
        import collections
        cls = collections.namedtuple(op, names)
        cls.__module__ = "torch.return_types"
        cls.__repr__ = _return_type_repr
        _return_types[key] = cls
    return cls


def _return_type_repr(self):
    # PyTorch's structseq repr: one field per line (torch/csrc/utils/structseq.cpp).
    fields = ",\n".join(f"{n}={v!r}" for n, v in zip(self._fields, self))
    return f"torch.return_types.{type(self).__name__}(\n{fields})"


def _own_memory(raw, kargs):
    """(raw or a copy of it that owns its memory, whether raw shared memory with an argument)."""
    if isinstance(raw, (tuple, list)):
        pairs = [_own_memory(r, kargs) for r in raw]
        return type(raw)(p[0] for p in pairs), any(p[1] for p in pairs)
    if raw is None or isinstance(raw, np.generic):
        return raw, False
    if type(raw) is np.ndarray:
        if any(type(a) is np.ndarray and np.shares_memory(raw, a) for a in kargs):
            return np.array(raw, copy=True), True
        return raw, False
    if _aliases_input(raw, kargs) or not arrays.owns_memory(raw):
        return arrays.fresh_copy(raw), True
    return raw, False


def _wrap_one(raw, dtype):
    if raw is None:
        return None
    if type(raw) is not np.ndarray and not isinstance(raw, np.generic):
        if not raw.is_contiguous() or raw.storage_offset() != 0:
            raw = arrays.fresh_copy(raw)
        if dtype is not None and raw.dtype != dtype.ms:
            raw = arrays.cast(raw, dtype)
        return Tensor._wrap(raw, dtype)
    raw = np.asarray(raw)  # NumPy reductions hand back scalars
    if not raw.flags.c_contiguous or raw.base is not None:
        raw = np.array(raw, copy=True, order="C")
    if dtype is not None and raw.dtype != dtype.np:
        raw = raw.astype(dtype.np)
    return Tensor._wrap(raw, dtype)


def _array_for(t, compute, backend):
    d = t._host_view() if backend == "host" and type(t._data) is not np.ndarray else t._data
    if compute is not None and t._dtype is not compute:
        d = arrays.cast(d, compute)
    elif type(d) is np.ndarray and backend != "host":
        d = arrays.from_numpy(np.require(d, requirements="C"), backend)
    return d


def _round_back(raw, tensors):
    """Floating results of a lowered op go back to the narrow input dtype (bfloat16)."""
    narrow = next(t._dtype for t in tensors if t._dtype in _LOWERED_FROM)
    if isinstance(raw, (tuple, list)):
        return type(raw)(_round_back(r, tensors) for r in raw)
    if raw is None or isinstance(raw, np.generic):
        return raw
    name = str(raw.dtype)
    if name in ("float32", "Float32"):
        return arrays.cast(raw, narrow)
    return raw


def _any_empty(tensors):
    for t in tensors:
        if 0 in t._data.shape:
            return True
    return False


def _host_to_backend(raw, backend):
    if isinstance(raw, (tuple, list)):
        return type(raw)(_host_to_backend(r, backend) for r in raw)
    if type(raw) is np.ndarray:
        return arrays.from_numpy(np.array(raw, copy=True, order="C"), backend)
    return raw


def _aliases_input(raw, kargs):
    ptr = raw.data_ptr()
    for a in kargs:
        if a is raw or (hasattr(a, "data_ptr") and type(a) is not np.ndarray and a.data_ptr() == ptr):
            return True
    return False


def _factory_dtype(rule, ov, args):
    if rule == "float":
        return _dt.get_default_dtype()
    kind, _, names = rule.partition(":")
    if kind == "like":
        return args[ov.names.index(names)]._dtype
    values = [args[ov.names.index(n)] for n in names.split(",")]
    values = [v.item() if isinstance(v, Tensor) else v for v in values if v is not None]
    return _dt.result_type(*values)


def _apply_factory_args(opname, ov, args, result):
    pos = ov.factory_pos
    layout = args[pos["layout"]] if "layout" in pos else None
    if layout is not None and getattr(layout, "name", layout) != "strided":
        raise NotImplementedError(f"mstorch: {opname}(layout={layout}) is not supported yet")
    if "pin_memory" in pos and args[pos["pin_memory"]]:
        from dispatch.devices import pin_memory_check
        pin_memory_check()
    if "device" in pos and args[pos["device"]] is not None:
        from dispatch.devices import place
        result = place(result, args[pos["device"]])
    if "memory_format" in pos and args[pos["memory_format"]] is not None:
        from dispatch.layout import check_memory_format
        if not check_memory_format(args[pos["memory_format"]]):
            raise NotImplementedError(f"mstorch: {opname}(memory_format={args[pos['memory_format']]}) is not "
                                      "supported yet")
    if "requires_grad" in pos and args[pos["requires_grad"]]:
        result.requires_grad_(True)
    return result


def _backend_of(tensors):
    if _backend._state["forked"]:
        # In a forked DataLoader worker MindSpore must never run (its first op hangs
        # there): tensors inherited from the parent are read through their host alias.
        return "host"
    for t in tensors:
        if type(t._data) is not np.ndarray:
            return _backend.target()
    if tensors or _backend.in_forked_child():
        return "host" if tensors else _backend.creation_backend()
    return _backend.creation_backend()


def _coerce_tensor(opname, ov, i, v):
    if arrays.is_ms_array(v):
        from dispatch.interop import from_mindspore
        return from_mindspore(v)
    if type(v).__module__.startswith("torch") and type(v).__name__ in ("Tensor", "Parameter"):
        raise TypeError(f"{opname}(): got a real PyTorch tensor; convert it with mstorch.from_torch(t) first")
    raise TypeError(f"{opname}(): argument '{ov.names[i]}' (position {i + 1}) must be Tensor, not {type(v).__name__}")


def _probe_first(runner, specs, backend):
    """Take the first candidate whose kernel exists; a missing MindSpore kernel only
    shows when called, so each candidate but the last is tried once with its C++ log
    silenced (see kernels.quiet_stderr)."""
    chosen = [_kernels.resolve(s) for s in specs]
    if len(chosen) == 1 or backend == "host":
        return chosen[0]
    return _ProbingKernel(runner, chosen)


class _ProbingKernel:
    """Stands in for a kernel until its first call decides which candidate works."""
    composite = False

    def __init__(self, runner, cands):
        self.runner, self.cands = runner, cands
        self.spec = cands[0].spec

    def fn(self, *args):
        last = None
        for k in self.cands:
            if k.composite:
                raise _FallbackToComposite(k)
            try:
                with _kernels.quiet_stderr():
                    out = k.fn(*args)
            except Exception as exc:
                if _kernels.is_missing_kernel_error(exc):
                    last = exc
                    continue
                raise
            for b, kern in list(self.runner._kernels.items()):
                if kern is self:
                    self.runner._kernels[b] = k
            return out
        raise NotImplementedError(f"mstorch: no working kernel for torch op '{self.runner.name}' "
                                  f"({'; '.join(c.spec for c in self.cands)}): {last}")


class _FallbackToComposite(Exception):
    pass


from dispatch.autograd.record import autograd_record as _autograd_record, inplace_commit as _inplace_commit  # noqa: E402
from dispatch.outparam import write_out as _write_out  # noqa: E402
from dispatch.written_args import run_writing_kernel as _run_writing_kernel  # noqa: E402

if _os.environ.get("MSTORCH_REPORT"):
    # The migration report counts op calls; installed before any callable is built.
    from dispatch import usage as _usage
    _usage.install(OpRunner)
