"""torch.func.vmap as a per-sample loop: slice every batched input at its in_dim, call the
function once per sample, stack the outputs at their out_dims.

PyTorch's vmap batches each op instead (BatchedTensor and a batching rule per op), which needs
the dispatcher to see batch levels; the loop computes the same numbers, and autograd, nested
vmap and vmap over grad/vjp/jacrev compose with it as they do in PyTorch. What the loop cannot
see: inside the function a sample is an ordinary tensor, so `.item()` and data-dependent
control flow work per sample where PyTorch raises, and an out_dims=None output is accepted
when every sample returned the same value (PyTorch refuses one that depends on a batched
input even then). `chunk_size` is checked and otherwise changes nothing: the loop already
holds one sample at a time, which is what chunk_size=1 means in PyTorch.
"""
import functools

from mstorch.impl.torch.func._levels import torch_ns
from mstorch.impl.torch.func._prefix import broadcast_prefix, func_name
from mstorch.impl.torch.func._randomness import RandomnessWatch, check_randomness_arg
from mstorch.impl.torch.utils import _pytree as pytree


def _flat_in_dims(in_dims, args, func):
    torch = torch_ns()
    name = func_name(func)
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
                         "(potentially nested) tuple matching the structure of inputs, got: "
                         f"{type(in_dims)}.")
    if len(args) == 0:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
                         "trying to vmap over a function with no inputs. The latter is unsupported.")
    flat_args, args_spec = pytree.tree_flatten(args)
    flat_dims = broadcast_prefix(in_dims, args_spec)
    if flat_dims is None:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                         f"structure of `inputs`. in_dims has structure {pytree.tree_flatten(in_dims)[1]} but "
                         f"inputs has structure {args_spec}.")
    for i, (arg, dim) in enumerate(zip(flat_args, flat_dims)):
        if dim is None:
            continue
        if not isinstance(dim, int):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input "
                             "but in_dim must be either an integer dimension or None.")
        if not isinstance(arg, torch.Tensor):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input "
                             f"but the input is of type {type(arg)}. We cannot vmap over non-Tensor arguments, "
                             "please use None as the respective in_dim")
        if not -arg.dim() <= dim < arg.dim():
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for some input, "
                             f"but that input is a Tensor of dimensionality {arg.dim()} so expected in_dim to "
                             f"satisfy -{arg.dim()} <= in_dim < {arg.dim()}.")
        flat_dims[i] = dim % arg.dim()
    sizes = [arg.size(dim) for arg, dim in zip(flat_args, flat_dims) if dim is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                         f"{sizes} for the mapped dimension")
    return sizes[0], flat_args, flat_dims, args_spec


def _check_out_dims(out_dims, func):
    if isinstance(out_dims, int):
        return
    for d in pytree.tree_leaves(out_dims):
        if d is not None and not isinstance(d, int):
            raise ValueError(f"vmap({func_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an int, None "
                             "or a python collection of ints representing where in the outputs the vmapped "
                             "dimension should appear.")


def _flat_out_dims(out_dims, first_output, out_spec, func):
    torch = torch_ns()
    if isinstance(first_output, torch.Tensor):
        # a lone Tensor output takes an int, None, or a 1-tuple (PyTorch's special case)
        if isinstance(out_dims, int) or out_dims is None:
            return [out_dims]
        if isinstance(out_dims, tuple) and len(out_dims) == 1:
            return list(out_dims)
        flat = None
    else:
        flat = broadcast_prefix(out_dims, out_spec)
    if flat is None:
        raise ValueError(f"vmap({func_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
                         f"compatible with the structure of `outputs`. out_dims has structure "
                         f"{pytree.tree_flatten(out_dims)[1]} but outputs has structure {out_spec}.")
    return flat


def _same_value(values):
    torch = torch_ns()
    first = values[0]
    for v in values[1:]:
        if v is first:
            continue
        if isinstance(first, torch.Tensor):
            if not (isinstance(v, torch.Tensor) and v.shape == first.shape and v.dtype == first.dtype
                    and torch.equal(v, first)):
                return False
            continue
        try:
            if not bool(v == first):
                return False
        except Exception:
            return False
    return True


def _join(per_sample, out_dim, name):
    torch = torch_ns()
    if out_dim is None:
        if not _same_value(per_sample):
            if isinstance(per_sample[0], torch.Tensor):
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None")
            raise RuntimeError(f"vmap({name}, ...): `{name}` returned a different non-Tensor value for each "
                               "sample; PyTorch's vmap cannot compute such a value (it refuses .item() and "
                               "data-dependent control flow on batched tensors)")
        return per_sample[0]
    for value in per_sample:
        if not isinstance(value, torch.Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(value)}. "
                             "Did you mean to set out_dims= to None for output?")
    return torch.stack(per_sample, dim=out_dim)


def _stack_outputs(outputs, out_dims, func):
    name = func_name(func)
    flats = [pytree.tree_flatten(o) for o in outputs]
    out_spec = flats[0][1]
    for _, spec in flats[1:]:
        if spec != out_spec:
            raise RuntimeError(f"vmap({name}, ...): `{name}` returned outputs of different structures for "
                               f"different samples ({out_spec} and {spec}); PyTorch's vmap refuses the "
                               "data-dependent control flow that does this")
    flat_dims = _flat_out_dims(out_dims, outputs[0], out_spec, func)
    columns = zip(*(flat for flat, _ in flats))
    return pytree.tree_unflatten([_join(list(col), d, name) for col, d in zip(columns, flat_dims)], out_spec)


def vmap_call(func, in_dims, out_dims, randomness, args, kwargs):
    _check_out_dims(out_dims, func)
    batch_size, flat_args, flat_dims, args_spec = _flat_in_dims(in_dims, args, func)
    if batch_size == 0:
        raise NotImplementedError("mstorch: torch.func.vmap over a dimension of size 0 is not supported (the "
                                  "per-sample loop has no sample to learn the output shapes from)")
    watch = RandomnessWatch(randomness)
    outputs = []
    for i in range(batch_size):
        watch.before_sample(i)
        sample = [a if d is None else a.select(d, i) for a, d in zip(flat_args, flat_dims)]
        outputs.append(func(*pytree.tree_unflatten(sample, args_spec), **kwargs))
    watch.after_all()
    return _stack_outputs(outputs, out_dims, func)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    check_randomness_arg(randomness)
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        return vmap_call(func, in_dims, out_dims, randomness, args, kwargs)
    return wrapped
