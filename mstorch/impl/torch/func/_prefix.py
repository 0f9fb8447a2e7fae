"""Broadcasting a prefix pytree (vmap's in_dims / out_dims) over a full tree's structure."""
import functools

from mstorch.impl.torch.utils import _pytree as pytree


def broadcast_prefix(prefix, spec):
    """One entry of `prefix` per leaf of `spec`, a prefix leaf covering its whole subtree;
    None where `prefix` is not a prefix of `spec` (PyTorch's `_broadcast_to_and_flatten`)."""
    leaves, prefix_spec = pytree.tree_flatten(prefix)
    out = []
    values = iter(leaves)

    def walk(pspec, fspec):
        if pspec.is_leaf():
            out.extend([next(values)] * fspec.num_leaves)
            return True
        if fspec.is_leaf() or pspec.type is not fspec.type or pspec.num_children != fspec.num_children \
                or pspec.context != fspec.context:
            return False
        return all(walk(p, f) for p, f in zip(pspec.children_specs, fspec.children_specs))
    return out if walk(prefix_spec, spec) else None


def func_name(func):
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({func_name(func.func)}, ...)"
    return repr(func)
