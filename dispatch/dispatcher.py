"""One path for every op: bind -> convert -> promote -> select kernel -> run -> wrap -> record.

`function_for(op, variant)` returns the torch-level callable for an op: its binder (the
torch signature, dispatch/binder.py) in front of the op's runner. The first call of each
overload builds that runner once (dispatch/runners.py: view, written-argument, factory or
kernel pipeline); the OpRunner here holds what every runner of the op shares: overloads,
the kernel cache per backend, the promotion rule and plans.
"""
import functools
import os as _os

from ops_table.generated import OPS
from dispatch import arrays, dtypes as _dt, kernels as _kernels, runners as _runners_mod, upcalls as _upcalls
from dispatch.binder import dtype_defaults_namespace, make_signature_function
from dispatch.operands import BACKEND_COMPUTE as _BACKEND_COMPUTE, LOWER as _LOWER, NUMBER as _NUMBER, \
    array_for as _array_for, wrap_one as _wrap_one
from dispatch.overload import Overload, return_type as _return_type, rounded as _rounded  # noqa: F401 - served here
from dispatch.runners import FallbackToComposite as _FallbackToComposite
from dispatch.tensor import Tensor

_ALIAS_CHECKS = 64
_runners = {}
_functions = {}
# Set when the migration report counts op calls (dispatch/usage.py): every call then takes
# OpRunner.run, which the report wraps.
_REPORT = bool(_os.environ.get("MSTORCH_REPORT"))


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
        self._built = {}  # (id(overload), in place) -> its runner (dispatch/runners.py)

    @property
    def view_geometry(self):
        """A view op's geometry function: (shape, stride, offset, *args) -> the view's (size, stride, offset)."""
        return _kernels.resolve("fn:" + self.view).fn

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
            if hasattr(body, "scopes"):
                body.scopes.append(fn.__globals__)
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
        """What the binder calls with the bound arguments: at first, a stand-in that builds the
        overload's runner (dispatch/runners.py) and puts it in its own place."""
        inplace = variant == "inplace"
        if _REPORT:
            run = self.run
            return (lambda args: run(ov, args, None, True)) if inplace else functools.partial(run, ov)
        key = (id(ov), inplace)
        scopes = []  # the binders' globals, where "_body" names this stand-in until the runner exists

        def first_call(args, out=None):
            built = self._built.get(key)
            if built is None:
                built = self._built[key] = _runners_mod.build(self, ov, inplace)
            for scope in scopes:
                scope["_body"] = built
            return built(args, out)

        first_call.scopes = scopes
        return first_call

    def run(self, ov, args, out=None, inplace=False):
        """One call through the runner of (ov, inplace), built when first needed; the path of
        the migration report and of calls from outside a binder (meta dtype probes)."""
        key = (id(ov), inplace)
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = _runners_mod.build(self, ov, inplace)
        return built(args, out)

    _run = run

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

    def _run_composite(self, kernel, args, ov):
        return _runners_mod.run_composite(kernel, args)


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


if _REPORT:
    # The migration report counts op calls; installed before any callable is built.
    from dispatch import usage as _usage
    _usage.install(OpRunner, _runners)

_upcalls.provide(function_for=function_for)
