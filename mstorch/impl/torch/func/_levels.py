"""How the differentiating transforms (grad, vjp, jacrev, jacfwd, jvp, linearize) stand on
mstorch's one tape.

functorch gives each transform its own level; here every transform records on the same
tape, so two things keep the levels apart:

- Each transform differentiates with respect to private copies of its inputs: a fresh
  leaf for an input that nothing tracks, and an alias (`view_as`) for one that an enclosing
  computation already tracks. Gradients taken with respect to the alias count only the
  uses inside this transform, so `grad(lambda x: grad(lambda y: x * y)(x))(x)` is 1 as in
  PyTorch, not 2 (no perturbation confusion), while the alias still carries the result
  back to the enclosing computation.
- The backward graph is kept (create_graph) only when the result must stay differentiable
  for someone outside: grad mode is on and the function's graph reaches a tensor tracked
  outside this transform (an input that required grad, or a captured tensor such as an
  enclosing transform's private input or a module parameter).
"""
from mstorch.impl.torch.utils import _pytree as pytree


def torch_ns():
    from mstorch.impl.torch._ns import torch
    return torch


def check_argnums(argnums, num_args):
    """PyTorch's argnums checks; returns the argnums with negative entries wrapped."""
    if not isinstance(argnums, (int, tuple)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if isinstance(argnums, tuple):
        if len(argnums) == 0:
            raise RuntimeError("argnums must be non-empty")
        if len(set(argnums)) != len(argnums):
            raise RuntimeError(f"argnums elements must be unique, got {argnums}")

    def wrap(n):
        if not isinstance(n, int):
            raise RuntimeError(f"argnum must be int, got: {type(n)}")
        if -num_args <= n < num_args:
            return n % num_args
        raise RuntimeError(f"Got argnum={n}, but only {num_args} positional inputs")
    return wrap(argnums) if isinstance(argnums, int) else tuple(wrap(n) for n in argnums)


def private_copy(t):
    torch = torch_ns()
    if not isinstance(t, torch.Tensor):
        raise RuntimeError(f"Expected arguments to be Tensors or pytrees of Tensors, got {type(t)}")
    return t.view_as(t) if t.requires_grad else t.detach().requires_grad_()


def privatize(args, argnums):
    """args with the ones at `argnums` replaced by private copies.

    Returns (new args, the chosen args as PyTorch slices them: a 1-tuple for an int argnums,
    the flat list of private tensors, whether any chosen input was already tracked)."""
    picked = (argnums,) if isinstance(argnums, int) else argnums
    args = list(args)
    flat_private, tracked = [], False
    for n in picked:
        leaves, spec = pytree.tree_flatten(args[n])
        copies = []
        for leaf in leaves:
            if not isinstance(leaf, torch_ns().Tensor):
                raise RuntimeError(f"Expected arguments at argnums={argnums} to be Tensors or pytrees of "
                                   f"Tensors, got {type(leaf)}")
            tracked = tracked or leaf.requires_grad
            copies.append(private_copy(leaf))
        flat_private.extend(copies)
        args[n] = pytree.tree_unflatten(copies, spec)
    return args, tuple(args[n] for n in picked), flat_private, tracked


def reaches_outside(outputs, private):
    """Whether the graph of `outputs` reaches a leaf tracked outside this transform."""
    mine = {id(p) for p in private}
    stack, seen = [], set()
    for o in outputs:
        if o.grad_fn is not None:
            stack.append(o.grad_fn)
        elif o.requires_grad and id(o) not in mine:
            return True
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        leaf = getattr(node, "variable", None)
        if leaf is not None:
            if id(leaf) not in mine:
                return True
            continue
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return False


def keeps_graph(outputs, private, tracked):
    torch = torch_ns()
    if not torch.is_grad_enabled():
        return False
    return tracked or reaches_outside([o for o in outputs if isinstance(o, torch.Tensor)], private)


def grads_or_zeros(outputs, inputs, grad_outputs, keep):
    """d(outputs)/d(inputs) with zeros (not None) for inputs the outputs do not use."""
    torch = torch_ns()
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    used = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not used:
        return [torch.zeros_like(x) for x in inputs]
    found = torch.autograd.grad([o for o, _ in used], inputs, grad_outputs=[g for _, g in used],
                                create_graph=keep, retain_graph=True, allow_unused=True)
    return [torch.zeros_like(x) if g is None else (g if keep else g.detach()) for g, x in zip(found, inputs)]


def release(tree, keep):
    """What a transform hands back: its own tensors unhooked from the tape unless kept."""
    torch = torch_ns()
    if keep:
        return tree
    return pytree.tree_map(lambda t: t.detach() if isinstance(t, torch.Tensor) else t, tree)


def split_aux(result, has_aux, api):
    if not has_aux:
        return result, None
    if not (isinstance(result, tuple) and len(result) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True")
    return result
