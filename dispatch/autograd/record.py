"""What the dispatcher does after a kernel ran: record a node, or commit an in-place result."""
from dispatch import dtypes as _dt, grad_mode
from dispatch.autograd.node import Node
from dispatch.autograd.inplace import gradient_edge, record_inplace, refresh_view  # noqa: F401 - also served here
from dispatch.autograd.saved import SavedMeta, SavedTensor
from dispatch.autograd.saved_results import results_read
from dispatch.autograd import anomaly
from dispatch.autograd.formula import compile_formulas, meta_only, namespace
from dispatch.writeback import check_no_internal_overlap, write_into
from dispatch import arrays, upcalls as _upcalls
from dispatch.opsns import T
from dispatch.tensor import Tensor

_NONDIFF = "nondiff"
_PER_OVERLOAD = "per_overload"   # ops_table.generate.PER_OVERLOAD


def _camel(name):
    return "".join(p.capitalize() for p in name.strip("_").split("_"))


class FormulaNode(Node):
    """Backward of a table op: evaluates the entry's formulas for the inputs that need grads."""
    __slots__ = ("op_name", "formulas", "saved", "values", "diff_names", "input_meta", "output_meta",
                 "nondiff_outputs", "list_lengths")

    def name(self):
        # ATen's *_forward ops (nll_loss_forward) name their nodes without the suffix.
        return f"{_camel(self.op_name.removesuffix('_forward'))}Backward0"

    def apply(self, grads):
        create_graph = grad_mode.is_enabled()
        env = dict(self.values)
        for k, s in self.saved.items():
            env[k] = s.unpack(self.name(), create_graph, self) if not isinstance(s, list) else \
                [None if x is None else x.unpack(self.name(), create_graph, self) for x in s]
        if self.output_meta and len(self.output_meta) > 1:
            grads = [g if g is not None or k in self.nondiff_outputs else
                     T.zeros(self.output_meta[k][0], dtype=self.output_meta[k][1])
                     for k, g in enumerate(grads)]
        env["grads"] = grads
        env["grad"] = grads[0]
        needs = [e[0] is not None for e in self.next_edges]
        env["needs"] = needs
        # One dict as globals: lambdas inside formulas must see the op's arguments.
        scope = dict(namespace(self.op_name))
        scope.update(env)
        out = []
        k = 0
        for name in self.diff_names:
            n_in = self.list_lengths.get(name)
            if n_in is None:
                if needs[k] and name in self.formulas:
                    g = eval(self.formulas[name], scope)
                    out.append(_fit(g, self.input_meta[k]))
                elif needs[k]:
                    raise RuntimeError(f"the derivative for '{name}' of {self.op_name} is not implemented")
                else:
                    out.append(None)
                k += 1
            else:
                if any(needs[k:k + n_in]):
                    gs = eval(self.formulas[name], scope)
                    out.extend(_fit(g, m) if n else None
                               for g, m, n in zip(gs, self.input_meta[k:k + n_in], needs[k:k + n_in]))
                else:
                    out.extend([None] * n_in)
                k += n_in
        return out

    def release(self):
        self.released = True
        for s in self.saved.values():
            if not isinstance(s, list):
                s.release()
            else:
                for x in s:
                    if x is not None:
                        x.release()


class PassThrough(Node):
    """Hands its gradient on unchanged (self rebased onto a composite's result)."""
    __slots__ = ()

    def __init__(self, edge):
        super().__init__([edge], 1)

    def apply(self, grads):
        return [grads[0]]


def _fit(g, meta):
    """Bring a formula's result to the input's shape and dtype (broadcast reduction, casts)."""
    if g is None:
        return None
    shape, dtype = meta
    if not isinstance(g, Tensor):
        raise TypeError(f"backward formula returned {type(g).__name__}")
    if tuple(g._data.shape) != shape:
        from ops_table.common.backward import sum_to
        g = sum_to(g, shape)
    if g._dtype is not dtype and dtype.category >= _dt._FLOAT:
        g = g.to(dtype)
    return g


def _differentiable(t):
    return t._dtype.category >= _dt._FLOAT


def _needs_record(tensors):
    if not grad_mode.is_enabled():
        return False
    for t in tensors:
        if t._requires_grad:
            return True
    return False


def _build_node(runner, ov, args, result):
    entry = runner.entry
    backward, key = entry["backward"], runner.name
    if backward == _PER_OVERLOAD:
        backward, key = ov.backward, ov.qualified_name
    names, edges, meta, saved, values, lengths = [], [], [], {}, {}, {}
    uses = entry.get("saves", ())
    meta_names = meta_only(key, backward) if uses else ()
    for i, a in enumerate(ov.args):
        n = a["name"]
        v = args[i]
        if i in ov.tensor_pos:
            if v is None or not hasattr(v, "_storage"):
                if n in uses:
                    values[n] = v
                # PyTorch keeps an empty edge for a number or an absent optional tensor
                # in a Tensor slot: next_functions shows it as (None, 0).
                names.append(n)
                edges.append((None, 0))
                meta.append(None)
                continue
            names.append(n)
            edges.append(gradient_edge(v) if _differentiable(v) else (None, 0))
            meta.append((tuple(v.shape), v._dtype))
            if n in uses:
                saved[n] = SavedMeta(v) if n in meta_names else SavedTensor(v)
        elif i in ov.list_pos:
            names.append(n)
            lengths[n] = len(v)
            for t in v:
                edges.append(gradient_edge(t) if t is not None and _differentiable(t) else (None, 0))
                meta.append((tuple(t.shape), t._dtype) if t is not None else ((), _dt.float32))
            if n in uses:
                saved[n] = [None if t is None else SavedTensor(t) for t in v]
        elif n in uses:
            values[n] = v
    # Ops returning Tensor[] (split, unbind) have as many outputs as tensors returned.
    node = FormulaNode(edges, len(result) if isinstance(result, (tuple, list)) else 1)
    node.op_name = runner.name
    node.formulas = compile_formulas(key, backward) if isinstance(backward, dict) else {}
    node.saved = saved
    node.values = values
    node.diff_names = names
    node.input_meta = meta
    node.list_lengths = lengths
    node.nondiff_outputs = runner.nondiff
    outs = result if isinstance(result, tuple) else (result,)
    node.output_meta = [(tuple(o.shape), o._dtype) if o is not None else None for o in outs]
    if "result" in uses:
        saved["result"] = SavedTensor(outs[0], is_output=True, node_name=node.name())
    if "results" in uses:
        read = results_read(key, backward) if isinstance(backward, dict) else None
        saved["results"] = [SavedTensor(o, is_output=True, out_nr=k) if o is not None and (read is None or k in read)
                            else None for k, o in enumerate(outs)]
    return node


def autograd_record(runner, ov, args, tensors, result, inplace, out):
    if not _needs_record(tensors):
        return result
    if runner.backward == _NONDIFF:
        return result
    if out is not None:
        raise RuntimeError(f"{runner.name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    node = _build_node(runner, ov, args, result)
    if anomaly.is_enabled():
        anomaly.remember_creation(node)
    if isinstance(result, tuple):
        for k, r in enumerate(result):
            if r is not None and k not in runner.nondiff and _differentiable(r):
                r._grad_fn, r._output_nr, r._requires_grad = node, k, True
    elif _differentiable(result):
        result._grad_fn, result._output_nr, result._requires_grad = node, 0, True
    if runner.view is not None:
        for r in (result if isinstance(result, tuple) else (result,)):
            if r is not None and r._base is not None:
                r._view_version = r._storage.version
    return result


def check_inplace(runner, tensors, self, result, composite):
    """PyTorch's refusals of an in-place op writing `result` into `self` (leaf, dtype, shape,
    overlap); returns whether the op records history."""
    recording = _needs_record(tensors) and runner.backward != _NONDIFF and \
        (not composite or result._requires_grad)
    if recording:
        if self._grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        if base is not None and base._grad_fn is None and base._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if not _dt.can_cast(result._dtype, self._dtype):
        raise RuntimeError(f"result type {_legacy_name(result._dtype)} can't be cast to the desired output type "
                           f"{_legacy_name(self._dtype)}")
    if tuple(result.shape) != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                           f"{list(result.shape)}")
    check_no_internal_overlap(self)
    return recording


def inplace_commit(runner, ov, args, tensors, result, composite=False):
    """Write an out-of-place result into `self` and give `self` the new history."""
    self = args[0]
    recording = check_inplace(runner, tensors, self, result, composite)
    if recording:
        if composite:
            # A composite's result already carries its own history; self takes it over.
            node = PassThrough(gradient_edge(result))
        else:
            old = self._snapshot_for_backward() if "self" in runner.entry.get("saves", ()) else self
            args = list(args)
            args[0] = old
            node = _build_node(runner, ov, args, result)
    data = result._data if result._dtype is self._dtype else arrays.cast(result._data, self._dtype)
    write_into(self, data)
    if recording:
        record_inplace(self, node)
    return self


def meta_inplace_commit(runner, ov, args, tensors, result, composite=False):
    """An in-place op on a meta tensor (dispatch/meta.py): PyTorch's checks, a version bump,
    the new history; nothing to write."""
    self = args[0]
    recording = check_inplace(runner, tensors, self, result, composite)
    if recording:
        node = PassThrough(gradient_edge(result)) if composite else _build_node(runner, ov, args, result)
    self._storage.version += 1
    if recording:
        record_inplace(self, node)
    return self


_legacy_name = _dt.legacy_name

_upcalls.provide(autograd_record=autograd_record, inplace_commit=inplace_commit,
                 meta_inplace_commit=meta_inplace_commit)
