"""torch.func.jacrev, jacfwd and hessian.

jacrev computes the Jacobian row by row: one reverse pass per output element, with a one-hot
cotangent (PyTorch vmaps the same vjp over the standard basis). jacfwd has no forward-mode
autodiff to stand on, so with randomness 'error' or 'same' it computes the same Jacobian by
those reverse rows from a single call of the function (under 'same' PyTorch's columns all see
one draw, which a single call is; under 'error' a random op raises as in PyTorch); with
'different' each column needs its own call, so it runs the function once per input element
and takes the column as a Jacobian-vector product (the double-vjp of `_jvp`). hessian is
jacfwd(jacrev(func)), as in PyTorch.
"""
import functools

from mstorch.impl.torch.func import _levels
from mstorch.impl.torch.func._grad import trace_vjp
from mstorch.impl.torch.func._jvp import jvp_flat
from mstorch.impl.torch.func._randomness import RandomnessWatch, check_randomness_arg
from mstorch.impl.torch.utils import _pytree as pytree


def _refuse_complex(api, tensors, is_input):
    torch = _levels.torch_ns()
    for idx, t in enumerate(pytree.tree_leaves(tensors)):
        if isinstance(t, torch.Tensor) and t.is_complex():
            kind = "inputs" if is_input else "outputs"
            raise RuntimeError(f"{api}: Expected all {kind} to be real but received complex tensor at flattened "
                               f"input idx: {idx}")


def _one_hot(like, index):
    torch = _levels.torch_ns()
    basis = torch.zeros(like.numel(), dtype=like.dtype, device=like.device)
    basis[index] = 1
    return basis.view(like.shape)


def _rows(flat_out, private, keep):
    """[[d out_k / d private_i, shaped out_k.shape + private_i.shape] per input] per output."""
    torch = _levels.torch_ns()
    jac = []
    with torch.enable_grad():
        for out in flat_out:
            if not (out.is_floating_point() or out.is_complex()):
                jac.append([out.new_zeros(tuple(out.shape) + tuple(p.shape)) for p in private])
                continue
            rows = [_levels.grads_or_zeros([out], private, [_one_hot(out, j)], keep) for j in range(out.numel())]
            per_input = []
            for i, p in enumerate(private):
                shape = tuple(out.shape) + tuple(p.shape)
                if rows:
                    per_input.append(torch.stack([r[i] for r in rows]).view(shape))
                else:
                    per_input.append(p.new_zeros(shape))
            jac.append(per_input)
    return jac


def _assemble(jac, chosen, out_spec, argnums):
    """Nest the blocks as PyTorch does: output structure outside, argnums structure inside."""
    in_spec = pytree.tree_structure(chosen)
    per_output = [pytree.tree_unflatten(blocks, in_spec) for blocks in jac]
    if isinstance(argnums, int):
        per_output = [blocks[0] for blocks in per_output]
    return pytree.tree_unflatten(per_output, out_spec)


def _reverse_jacobian(func, args, argnums, has_aux, api, trace_api, floats_only):
    nums = _levels.check_argnums(argnums, len(args))
    _refuse_complex(api, args, True)
    result, flat_out, out_spec, aux, chosen, private, keep = trace_vjp(func, args, nums, has_aux, trace_api,
                                                                       floats_only)
    _refuse_complex(api, flat_out, False)
    jac = _assemble(_rows(flat_out, private, keep), chosen, out_spec, nums)
    return (jac, _levels.release(aux, keep)) if has_aux else jac


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    # chunk_size only bounds how many rows PyTorch computes at once; here rows go one at a time
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args):
        return _reverse_jacobian(func, args, argnums, has_aux, "jacrev", "vjp(f, *primals)", True)
    return wrapper


def _columns(func, args, argnums, has_aux):
    """jacfwd with randomness='different': one call of func per input element."""
    torch = _levels.torch_ns()
    nums = _levels.check_argnums(argnums, len(args))
    picked = (nums,) if isinstance(nums, int) else nums
    chosen = tuple(args[n] for n in picked)
    flat_in, in_spec = pytree.tree_flatten(chosen)
    numels = [t.numel() for t in flat_in]
    total = sum(numels)
    if total == 0:
        raise NotImplementedError("mstorch: torch.func.jacfwd(randomness='different') of inputs with no "
                                  "elements is not supported")

    def column(k):
        tangents, start = [], 0
        for t, n in zip(flat_in, numels):
            tangents.append(_one_hot(t, k - start) if start <= k < start + n else torch.zeros_like(t))
            start += n
        return jvp_flat(func, args, picked, tangents, strict=False, has_aux=has_aux,
                        api="jvp(f, primals, tangents)")

    cols = [column(k) for k in range(total)]   # a call per column: each draws its own random numbers
    flat_out, out_spec, _, aux, keep = cols[0]
    jac = []
    for o, out in enumerate(flat_out):
        stacked = torch.stack([c[2][o] for c in cols], dim=-1)
        blocks = stacked.split(numels, dim=-1)
        jac.append([b.reshape(tuple(out.shape) + tuple(t.shape)) for b, t in zip(blocks, flat_in)])
    result = _assemble(jac, chosen, out_spec, nums)
    return (result, aux) if has_aux else result


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    check_randomness_arg(randomness)

    @functools.wraps(func)
    def wrapper(*args):
        _refuse_complex("jacfwd", args, True)
        if randomness == "different":
            return _columns(func, args, argnums, has_aux)
        watch = RandomnessWatch(randomness)
        # forward mode gives integer outputs a zero Jacobian where reverse mode refuses them
        result = _reverse_jacobian(func, args, argnums, has_aux, "jacfwd", "jvp(f, primals, tangents)", False)
        watch.after_all()
        return result
    return wrapper


def hessian(func, argnums=0):
    return jacfwd(jacrev(func, argnums), argnums)
