"""History of tensors written in place (PyTorch's rebase-history rule)."""
from dispatch.autograd.node import AccumulateGrad, Node
from dispatch.opsns import T


def gradient_edge(t):
    """Where a gradient for tensor `t` goes: its grad_fn output, or its leaf accumulator."""
    if t._base is not None:
        refresh_view(t)
    if t._grad_fn is not None:
        return (t._grad_fn, t._output_nr)
    if t._requires_grad:
        acc = t._accumulator
        if acc is None:
            acc = t._accumulator = AccumulateGrad(t)
        return (acc, 0)
    return (None, 0)


def refresh_view(t):
    """PyTorch regenerates a view's history when its base was written in place after the
    view was made (through the base or another view): the view's gradient must then go
    through the base's new history.  `_view_version` is the storage version the view's
    grad_fn was made at; views made without recording have none and are left alone."""
    vv = t._view_version
    if vv is None or vv == t._storage.version:
        return
    base = t._base
    t._view_version = t._storage.version
    if not base._requires_grad:
        return
    t._grad_fn, t._output_nr, t._requires_grad = ViewOfBase(base, t), 0, True


def record_inplace(self, node):
    base = self._base
    if base is None:
        self._grad_fn, self._output_nr, self._requires_grad = node, 0, True
        return
    # A view written in place changes its base: the base's new history routes the
    # view region's gradient through the in-place op and the rest to the old base.
    copy = CopySlices(base, self, node)
    base._grad_fn, base._output_nr, base._requires_grad = copy, 0, True
    view_node = ViewOfBase(base, self)
    self._grad_fn, self._output_nr, self._requires_grad = view_node, 0, True
    self._view_version = self._storage.version


def _geometry_in(base, view):
    return tuple(view.shape), view.stride(), view.storage_offset() - base.storage_offset()


class CopySlices(Node):
    __slots__ = ("base_geom", "view_geom", "inner")

    def __init__(self, base, view, inner):
        edges = [gradient_edge(base)] + list(inner.next_edges[1:])
        super().__init__(edges, 1)
        self.base_geom = (tuple(base.shape), base.stride())
        self.view_geom = _geometry_in(base, view)
        self.inner = inner

    def apply(self, grads):
        g = grads[0]
        shape, stride = self.base_geom
        result = T.empty_strided(shape, stride, dtype=g.dtype)
        result.copy_(g)
        size, vstride, off = self.view_geom
        region = result.as_strided(size, vstride, result.storage_offset() + off)
        inner_grads = self.inner.apply([region.clone()])
        if inner_grads and inner_grads[0] is not None:
            region.copy_(inner_grads[0])
        else:
            region.zero_()
        return [result] + list(inner_grads[1:])

    def name(self):
        return "torch::autograd::CopySlices"


class ViewOfBase(Node):
    """grad_fn of a view after an in-place write: its gradient lands in the base's region."""
    __slots__ = ("base_geom", "view_geom")

    def __init__(self, base, view):
        super().__init__([gradient_edge(base)], 1)
        self.base_geom = (tuple(base.shape), base.stride())
        self.view_geom = _geometry_in(base, view)

    def apply(self, grads):
        g = grads[0]
        shape, stride = self.base_geom
        result = T.empty_strided(shape, stride, dtype=g.dtype).zero_()
        size, vstride, off = self.view_geom
        result.as_strided(size, vstride, result.storage_offset() + off).copy_(g)
        return [result]

    def name(self):
        return "AsStridedBackward0"
