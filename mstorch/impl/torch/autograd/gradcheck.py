"""torch.autograd.gradcheck / gradgradcheck: analytical vs finite-difference Jacobians (float64)."""
from dispatch import Tensor
from dispatch.autograd.api import grad as _grad


class GradcheckError(RuntimeError):
    pass


def _flat_inputs(inputs):
    return [i for i in ((inputs,) if isinstance(inputs, Tensor) else inputs) if isinstance(i, Tensor)]


def _outputs(func, inputs):
    out = func(*((inputs,) if isinstance(inputs, Tensor) else inputs))
    return (out,) if isinstance(out, Tensor) else tuple(o for o in out if isinstance(o, Tensor))


def _numerical(func, inputs, diff_inputs, eps):
    from dispatch.opsns import T
    jac = []
    for x in diff_inputs:
        cols = []
        flat = x.detach().reshape(-1)
        host = x.detach()._host_view().reshape(-1)
        for k in range(flat.numel()):
            orig = float(host[k])
            # Perturb the input's storage directly: an in-place op would be refused on a leaf.
            host[k] = orig + eps
            x._storage.version += 1
            plus = [o.detach().clone().reshape(-1) for o in _outputs(func, inputs)]
            host[k] = orig - eps
            x._storage.version += 1
            minus = [o.detach().clone().reshape(-1) for o in _outputs(func, inputs)]
            host[k] = orig
            x._storage.version += 1
            cols.append(T.cat([(p - m) / (2 * eps) for p, m in zip(plus, minus)]) if plus else T.zeros(0))
        jac.append(T.stack(cols, 1) if cols else None)
    return jac


def _analytical(func, inputs, diff_inputs):
    from dispatch.opsns import T
    outs = _outputs(func, inputs)
    total = sum(o.numel() for o in outs)
    jac = [T.zeros((total, x.numel()), dtype=x.dtype) for x in diff_inputs]
    row = 0
    for o in outs:
        flat = o.reshape(-1)
        for k in range(flat.numel()):
            gs = _grad(flat.select(0, k), diff_inputs, retain_graph=True, allow_unused=True)
            for j, g in enumerate(gs):
                if g is not None:
                    jac[j].select(0, row).copy_(g.reshape(-1))
            row += 1
    return jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    if check_forward_ad or check_batched_grad or check_batched_forward_grad:
        raise NotImplementedError("mstorch: gradcheck(check_forward_ad/check_batched_grad) is not supported yet")
    diff_inputs = [x for x in _flat_inputs(inputs) if x.requires_grad]
    if not diff_inputs:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of the them "
                         "have requires_grad=True.")
    for x in diff_inputs:
        if x.dtype.name != "float64":
            import warnings
            warnings.warn("Input #0 requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating point "
                          "or complex. ", UserWarning, stacklevel=2)
    analytical = _analytical(func, inputs, diff_inputs)
    numerical = _numerical(func, inputs, diff_inputs, eps)
    for j, (a, n) in enumerate(zip(analytical, numerical)):
        if n is None:
            continue
        if not bool(((a - n).abs() <= atol + rtol * n.abs()).all()):
            if raise_exception:
                raise GradcheckError(f"Jacobian mismatch for output 0 with respect to input {j},\n"
                                     f"numerical:{n}\nanalytical:{a}\n")
            return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception=True, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    from dispatch.opsns import T
    tupled = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    diff_inputs = [x for x in tupled if isinstance(x, Tensor) and x.requires_grad]
    outs = _outputs(func, tupled)
    if grad_outputs is None:
        import numpy as np
        rng = np.random.default_rng(0)
        grad_outputs = tuple(T.tensor(rng.standard_normal(tuple(o.shape)), dtype=o.dtype).requires_grad_(True)
                             for o in outs)
    else:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    n_in = len(tupled)

    def first_order(*args):
        xs, gos = args[:n_in], args[n_in:]
        o = _outputs(func, xs)
        dx = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        gs = _grad(o, dx, grad_outputs=gos, create_graph=True, allow_unused=True)
        return tuple(g if g is not None else T.zeros_like(x) for g, x in zip(gs, dx))
    return gradcheck(first_order, tupled + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
