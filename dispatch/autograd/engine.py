"""The backward pass: walk recorded nodes in reverse order of creation, route grads."""
import heapq

from dispatch import grad_mode
from dispatch.autograd import anomaly
from dispatch.autograd.node import AccumulateGrad
from dispatch.autograd.record import gradient_edge
from dispatch import autocast


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _collect(roots):
    """Dependency counts of every node reachable from the roots."""
    deps = {}
    seen = set()
    stack = [n for n in roots if n is not None]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        for nxt, _ in n.next_edges:
            if nxt is not None:
                deps[nxt] = deps.get(nxt, 0) + 1
                if id(nxt) not in seen:
                    stack.append(nxt)
    return deps


def run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs=None, accumulate=True,
                 allow_unused=False):
    """Shared core of Tensor.backward, torch.autograd.backward and torch.autograd.grad.

    With `inputs` and accumulate=False, returns the gradients reaching those tensors
    instead of adding them into `.grad` (torch.autograd.grad)."""
    roots = []
    for out, g in zip(outputs, grad_outputs):
        node, nr = gradient_edge(out)
        if node is None:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if isinstance(node, AccumulateGrad) and g is not None:
            g = g.clone()  # a user's gradient argument must not become the leaf's .grad buffer
        roots.append((node, nr, g))
    capture = None
    if inputs is not None:
        capture = {}
        for k, t in enumerate(inputs):
            node, nr = gradient_edge(t)
            if node is None and not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            capture[(id(node), nr)] = k
    deps = _collect([r[0] for r in roots])
    buffers = {}
    for node, nr, g in roots:
        buf = buffers.setdefault(node, [None] * max(node.num_outputs, nr + 1))
        buf[nr] = _add(buf[nr], g)
    ready = [(-n.seq, id(n), n) for n in {r[0] for r in roots} if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    results = [None] * (len(inputs) if inputs is not None else 0)
    prev = grad_mode.is_enabled()
    grad_mode.set_enabled(create_graph)
    # Backward formulas run outside autocast, as PyTorch's engine does.
    no_autocast = autocast.excluded() if autocast.ACTIVE[0] else None
    if no_autocast is not None:
        no_autocast.__enter__()
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            grads = buffers.pop(node, [None])
            grads = _run_tensor_pre_hooks(node, grads)
            if capture is not None:
                for nr, g in enumerate(grads):
                    k = capture.get((id(node), nr))
                    if k is not None:
                        results[k] = g
            if isinstance(node, AccumulateGrad):
                if accumulate and (capture is None or (id(node), 0) in capture):
                    _accumulate(node, grads[0], create_graph)
                continue
            if node.pre_hooks:
                for h in node.pre_hooks:
                    r = h(tuple(grads))
                    if r is not None:
                        grads = list(r)
            # A released node fails only if it needs a freed saved tensor (PyTorch raises
            # at unpack time), so graphs that saved nothing can be walked again.
            if all(g is None for g in grads):
                in_grads = [None] * len(node.next_edges)
            else:
                in_grads = node.apply(list(grads))
                if anomaly.is_enabled():
                    anomaly.check_outputs(node, in_grads)
            if node.post_hooks:
                for h in node.post_hooks:
                    r = h(tuple(in_grads), tuple(grads))
                    if r is not None:
                        in_grads = list(r)
            if not retain_graph:
                node.release()
            for (nxt, nr), g in zip(node.next_edges, in_grads):
                if nxt is None:
                    continue
                if g is not None:
                    buf = buffers.setdefault(nxt, [None] * max(nxt.num_outputs, nr + 1))
                    buf[nr] = _add(buf[nr], g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    heapq.heappush(ready, (-nxt.seq, id(nxt), nxt))
    finally:
        grad_mode.set_enabled(prev)
        if no_autocast is not None:
            no_autocast.__exit__(None, None, None)
    if inputs is not None and not allow_unused and not accumulate:
        for k, r in enumerate(results):
            if r is None:
                raise RuntimeError(f"The differentiated Tensor at index {k} appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
    return results


def _run_tensor_pre_hooks(node, grads):
    hooks = node.tensor_pre_hooks
    if hooks:
        grads = list(grads)
        for nr, lst in hooks.items():
            for h in list(lst.values()):
                if grads[nr] is None:
                    continue
                r = h(grads[nr])
                if r is not None:
                    grads[nr] = r
    if node.retains:
        for nr, ref in node.retains.items():
            t = ref()
            if t is not None and grads[nr] is not None:
                g = grads[nr]
                t._grad = g.detach().clone() if t._grad is None else (t._grad + g.detach())
    return grads


def _accumulate(acc, grad, create_graph):
    var = acc.variable
    if var is None or grad is None:
        return
    if var._hooks:
        for h in list(var._hooks.values()):
            r = h(grad)
            if r is not None:
                grad = r
    if var._grad is None:
        if create_graph:
            var._grad = grad if grad._base is None and grad.is_contiguous() else grad.clone()
        else:
            g = grad.detach()
            # .grad must own a plain contiguous buffer: optimizers update it in place.
            if g._base is not None or not g.is_contiguous():
                g = g.clone()
            var._grad = g
    elif create_graph:
        var._grad = var._grad + grad
    else:
        with _no_grad():
            var._grad.add_(grad.detach())
    for h in getattr(var, "_post_accumulate_hooks", None) or ():
        h(var)


class _no_grad:
    def __enter__(self):
        self.prev = grad_mode.is_enabled()
        grad_mode.set_enabled(False)

    def __exit__(self, *a):
        grad_mode.set_enabled(self.prev)
