"""torch.autograd.Function: user-defined forward/backward pairs recorded as one node."""
from dispatch import grad_mode
from dispatch.autograd.node import Node
from dispatch.autograd.record import gradient_edge
from dispatch.autograd.saved import SavedTensor
from dispatch.opsns import T
from dispatch.tensor import Tensor
from dispatch.autograd.inplace import record_inplace


class FunctionCtx:
    def __init__(self):
        self._saved = None
        self.needs_input_grad = ()
        self._dirty = ()
        self._non_differentiable = ()
        self.materialize_grads = True
        self._node = None

    def save_for_backward(self, *tensors):
        self._saved = [None if t is None else SavedTensor(t) for t in tensors]
        self._saved_raw = tensors

    def save_for_forward(self, *tensors):
        self._saved_forward = tensors

    @property
    def saved_tensors(self):
        if self._saved is None:
            return ()
        name = self._node.name() if self._node is not None else "Function"
        return tuple(None if s is None else s.unpack(name, grad_mode.is_enabled(), self._node) for s in self._saved)

    saved_variables = saved_tensors

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class BackwardCFunction(Node):
    """The node of one Function.apply call."""
    __slots__ = ("fn_cls", "ctx", "input_meta", "output_meta", "tensor_slots", "n_args")

    def name(self):
        return type(self).__name__

    def apply(self, grads):
        ctx = self.ctx
        if ctx.materialize_grads:
            grads = [g if g is not None else (T.zeros(m[0], dtype=m[1]) if m is not None else None)
                     for g, m in zip(grads, self.output_meta)]
        backward = self.fn_cls.backward
        if getattr(backward, "_once_differentiable", False) or not grad_mode.is_enabled():
            prev = grad_mode.is_enabled()
            grad_mode.set_enabled(False)
            try:
                res = backward(ctx, *grads)
            finally:
                grad_mode.set_enabled(prev)
        else:
            res = backward(ctx, *grads)
        if not isinstance(res, tuple):
            res = (res,)
        if len(res) < self.n_args:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients (expected "
                               f"{self.n_args}, got {len(res)})")
        extra = res[self.n_args:]
        if any(r is not None for r in extra):
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients (expected "
                               f"{self.n_args}, got {len(res)})")
        out = []
        for slot, meta in zip(self.tensor_slots, self.input_meta):
            g = res[slot]
            if g is not None and tuple(g.shape) != meta[0]:
                if g.numel() == 1 or _broadcastable(g.shape, meta[0]):
                    from ops_table.common.backward import sum_to
                    g = sum_to(g.expand(meta[0]) if g.dim() < len(meta[0]) else g, meta[0])
                else:
                    raise RuntimeError(f"Function {self.name()} returned an invalid gradient at index {slot} - got "
                                       f"{list(g.shape)} but expected shape compatible with {list(meta[0])}")
            out.append(g)
        return out

    def release(self):
        self.released = True
        if self.ctx._saved:
            for s in self.ctx._saved:
                if s is not None:
                    s.release()


def _broadcastable(a, b):
    for x, y in zip(reversed(tuple(a)), reversed(tuple(b))):
        if x != y and x != 1:
            return False
    return len(a) <= len(b)


def apply(fn_cls, args, kwargs):
    ctx = FunctionCtx()
    slots = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    tensors = [args[i] for i in slots]
    ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
    record = grad_mode.is_enabled() and any(t.requires_grad for t in tensors)
    setup = fn_cls.setup_context
    uses_setup = setup is not Function.setup_context
    prev = grad_mode.is_enabled()
    grad_mode.set_enabled(False)
    try:
        if uses_setup:
            outputs = fn_cls.forward(*args, **kwargs)
        else:
            outputs = fn_cls.forward(ctx, *args, **kwargs)
    finally:
        grad_mode.set_enabled(prev)
    if uses_setup:
        setup(ctx, args, outputs)
    if not record:
        return outputs
    single = not isinstance(outputs, tuple)
    outs = (outputs,) if single else outputs
    node = fn_cls._backward_cls([gradient_edge(t) if t.dtype.category >= 2 else (None, 0) for t in tensors],
                             len(outs))
    node.fn_cls, node.ctx, node.n_args = fn_cls, ctx, len(args)
    node.tensor_slots = slots
    node.input_meta = [(tuple(t.shape), t.dtype) for t in tensors]
    node.output_meta = [(tuple(o.shape), o.dtype) if isinstance(o, Tensor) else None for o in outs]
    ctx._node = node
    nondiff = {id(t) for t in ctx._non_differentiable}
    dirty = {id(t) for t in ctx._dirty}
    new_outs = []
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            new_outs.append(o)
            continue
        if id(o) in dirty:
            if o._grad_fn is None and o._requires_grad:
                raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
            # PyTorch bumps a dirty tensor's version once more when it takes the new history.
            o._storage.version += 1
            if o._base is not None and len(outs) == 1 and id(o) not in nondiff:
                record_inplace(o, node)  # a dirty view rebases its base (CopySlices)
                new_outs.append(o)
                continue
        elif any(o is t for t in tensors):
            o = o._detached_alias()  # an input returned as is becomes a new output, as in PyTorch
        if id(o) in nondiff or o.dtype.category < 2:
            o._requires_grad = False
        else:
            o._grad_fn, o._output_nr, o._requires_grad = node, k, True
        new_outs.append(o)
    return new_outs[0] if single else tuple(new_outs)


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        # PyTorch exposes the node class of a Function as `Fn._backward_cls`.
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"__slots__": ()})


class Function(metaclass=_FunctionMeta):
    """Base class of user-defined autograd functions (torch.autograd.Function)."""
    generate_vmap_rule = False

    def __init__(self, *args, **kwargs):
        import warnings
        warnings.warn(f"{type(self)} should not be instantiated. Methods on autograd functions are all static, so "
                      "you should invoke them on the class itself. Instantiating an autograd function will raise an "
                      "error in a future version of PyTorch.", DeprecationWarning, stacklevel=2)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("mstorch: forward-mode AD (Function.jvp) is not supported yet")

    @classmethod
    def apply(cls, *args, **kwargs):
        return apply(cls, args, kwargs)


def once_differentiable(fn):
    """Marks a backward as not differentiable itself: it runs with grad mode off."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        prev = grad_mode.is_enabled()
        grad_mode.set_enabled(False)
        try:
            return fn(ctx, *args)
        finally:
            grad_mode.set_enabled(prev)
    wrapper._once_differentiable = True
    return wrapper


from ops_table.common import provided as _provided  # noqa: E402  (ops_table never imports dispatch: hand it down)
_provided.give(Function=Function)
