"""torch.func.jvp and linearize by the double-vjp trick.

mstorch's autograd is reverse mode only. For outputs y = f(x), the vjp g(u) = J^T u is linear
in the cotangent u; differentiating it with respect to u in the direction v gives J v, the
Jacobian-vector product. So one forward call and two reverse passes (the first one recorded
with create_graph) give exactly what forward mode gives, for functions whose backward formulas
are themselves differentiable (every table formula is written in differentiable ops).
"""
from mstorch.impl.torch.func import _levels
from mstorch.impl.torch.utils import _pytree as pytree

JVP_API = "jvp(f, primals, tangents)"


class _LinearMap:
    """The recorded g(u) = J^T u of a call, ready to be differentiated along any tangent."""

    def __init__(self, flat_out, private):
        torch = _levels.torch_ns()
        self.flat_out = flat_out
        self.diff = [k for k, o in enumerate(flat_out)
                     if isinstance(o, torch.Tensor) and o.requires_grad and (o.is_floating_point() or o.is_complex())]
        self.cotangents = [torch.zeros_like(flat_out[k]).requires_grad_() for k in self.diff]
        self.vjps = []
        if self.diff:
            found = torch.autograd.grad([flat_out[k] for k in self.diff], private, grad_outputs=self.cotangents,
                                        create_graph=True, allow_unused=True)
            self.vjps = [(g, i) for i, g in enumerate(found) if g is not None and g.requires_grad]

    def apply(self, flat_tangents, keep, strict, retain):
        """J v for each output (None where an output does not depend on the inputs)."""
        torch = _levels.torch_ns()
        results = [None] * len(self.flat_out)
        if self.vjps:
            found = torch.autograd.grad([g for g, _ in self.vjps], self.cotangents,
                                        grad_outputs=[flat_tangents[i] for _, i in self.vjps],
                                        create_graph=keep, retain_graph=retain or keep, allow_unused=True)
            for k, r in zip(self.diff, found):
                results[k] = r if r is None or keep else r.detach()
        for k, (r, o) in enumerate(zip(results, self.flat_out)):
            if r is None and isinstance(o, torch.Tensor):
                if strict:
                    raise RuntimeError("jvp(f, primals, tangents, strict=True): The output of f is independent of "
                                       "the inputs. This is not allowed with strict=True.")
                results[k] = torch.zeros_like(o)
        return results


def _check_output(flat_out, result, api):
    torch = _levels.torch_ns()
    if not flat_out or (len(flat_out) == 1 and flat_out[0] is None):
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = {result})")
    for o in flat_out:
        if not isinstance(o, torch.Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(o)}")


def jvp_flat(func, args, picked, flat_tangents, strict, has_aux, api):
    """Call func with args[picked] tracked; returns (flat outputs, their spec, flat J v, aux, kept)."""
    torch = _levels.torch_ns()
    with torch.enable_grad():
        new_args, _, private, tracked = _levels.privatize(args, picked)
        result, aux = _levels.split_aux(func(*new_args), has_aux, api)
        flat_out, out_spec = pytree.tree_flatten(result)
        _check_output(flat_out, result, api)
        keep = _levels.keeps_graph(flat_out, private, tracked) or \
            (torch.is_grad_enabled() and any(t.requires_grad for t in flat_tangents))
        tangents_out = _LinearMap(flat_out, private).apply(flat_tangents, keep, strict, retain=False)
    return _levels.release(flat_out, keep), out_spec, tangents_out, _levels.release(aux, keep), keep


def _check_tangents(flat_primals, flat_tangents, api):
    torch = _levels.torch_ns()
    for name, flat in (("primals", flat_primals), ("tangents", flat_tangents)):
        if not flat:
            raise RuntimeError(f"{api}: Expected {name} to contain at least one Tensor.")
        for t in flat:
            if not isinstance(t, torch.Tensor):
                raise RuntimeError(f"{api}: Expected {name} to only contain Tensors, got {type(t)}")
    for p, t in zip(flat_primals, flat_tangents):
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError("Trying to set a forward gradient that has a different size than that of the "
                               f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} while "
                               f"the given forward gradient is of size {list(t.shape)}.")


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{JVP_API}: Expected primals to be a tuple. E.g. it should be valid to call "
                           "f(*primals).")
    flat_primals, primals_spec = pytree.tree_flatten(primals)
    flat_tangents, tangents_spec = pytree.tree_flatten(tangents)
    if primals_spec != tangents_spec:
        raise RuntimeError(f"{JVP_API}: Expected primals and tangents to have the same python structure. For "
                           "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals with "
                           f"structure {primals_spec} and tangents with structure {tangents_spec}")
    _check_tangents(flat_primals, flat_tangents, JVP_API)
    flat_out, out_spec, flat_tan, aux, _ = jvp_flat(func, primals, tuple(range(len(primals))), flat_tangents,
                                                    strict, has_aux, JVP_API)
    output, tangent_out = pytree.tree_unflatten(flat_out, out_spec), pytree.tree_unflatten(flat_tan, out_spec)
    return (output, tangent_out, aux) if has_aux else (output, tangent_out)


def linearize(func, *primals):
    # PyTorch also evaluates func twice: once for the output, once to build the jvp
    torch = _levels.torch_ns()
    output = func(*primals)
    flat_primals, primals_spec = pytree.tree_flatten(primals)
    with torch.enable_grad():
        new_args, _, private, _ = _levels.privatize(primals, tuple(range(len(primals))))
        traced, out_spec = pytree.tree_flatten(func(*new_args))
        linear = _LinearMap(traced, private)

    def jvp_fn(*tangents):
        flat_tangents, tangents_spec = pytree.tree_flatten(tangents)
        if tangents_spec != primals_spec:
            raise RuntimeError(f"Expected the tangents {tangents_spec} to have the same argspec as the primals "
                               f"{primals_spec}")
        for idx, (t, p) in enumerate(zip(flat_tangents, flat_primals)):
            for what in ("shape", "device", "dtype"):
                if getattr(t, what) != getattr(p, what):
                    raise RuntimeError(f"tangent:{idx} with {what} {getattr(t, what)} in flattened pytree doesn't "
                                       f"match the {what} {getattr(p, what)} of the corresponding primal.")
        keep = torch.is_grad_enabled() and any(t.requires_grad for t in flat_tangents)
        with torch.enable_grad():
            flat = linear.apply(flat_tangents, keep, strict=False, retain=True)
        return pytree.tree_unflatten([f if isinstance(o, torch.Tensor) else o for f, o in zip(flat, traced)],
                                     out_spec)
    return output, jvp_fn
