"""Graph nodes.  A node maps output grads to input grads and knows where those go."""
import itertools
import weakref

_seq = itertools.count()


class Node:
    """Base: `next_edges` is a tuple of (node or None, output_nr) per differentiable input."""
    __slots__ = ("next_edges", "seq", "pre_hooks", "post_hooks", "tensor_pre_hooks", "retains",
                 "num_outputs", "released", "metadata", "__weakref__", "__dict__")

    def __init__(self, next_edges, num_outputs=1):
        self.next_edges = tuple(next_edges)
        self.seq = next(_seq)
        self.pre_hooks = None
        self.post_hooks = None
        self.tensor_pre_hooks = None   # {output_nr: [hook]} from Tensor.register_hook on non-leaves
        self.retains = None            # {output_nr: weakref(tensor)} for retain_grad()
        self.num_outputs = num_outputs
        self.released = False
        self.metadata = {}

    # PyTorch's public Node API
    def name(self):
        return type(self).__name__

    @property
    def next_functions(self):
        return tuple((n, i) for n, i in self.next_edges)

    def register_hook(self, fn):
        if self.post_hooks is None:
            self.post_hooks = []
        self.post_hooks.append(fn)
        return _Handle(self.post_hooks, fn)

    def register_prehook(self, fn):
        if self.pre_hooks is None:
            self.pre_hooks = []
        self.pre_hooks.append(fn)
        return _Handle(self.pre_hooks, fn)

    def apply(self, grads):
        raise NotImplementedError(f"{self.name()}.apply")

    def release(self):
        self.released = True

    def __call__(self, *grads):
        return self.apply(list(grads))

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"


class _Handle:
    """Handle of a node hook: removes that hook from the node's list."""

    def __init__(self, lst, fn):
        self._lst = lst
        self._fn = fn

    def remove(self):
        if self._fn in self._lst:
            self._lst.remove(self._fn)


class RemovableHandle:
    """Handle returned by Tensor.register_hook."""

    def __init__(self, container, key):
        self._container, self._key = container, key

    def remove(self):
        self._container.pop(self._key, None)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.remove()


class AccumulateGrad(Node):
    """Sink for a leaf that requires grad: runs the leaf's hooks, then adds into `.grad`."""
    __slots__ = ("variable_ref",)

    def __init__(self, variable):
        super().__init__((), 1)
        self.variable_ref = weakref.ref(variable)

    @property
    def variable(self):
        return self.variable_ref()

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def apply(self, grads):
        return []
