"""Argument checks for the fused optimizer ops (PyTorch's error types and wording)."""

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def fused_adam(self, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, beta1, beta2, weight_decay,
               eps, amsgrad, maximize, grad_scale=None, found_inf=None):
    _check("fused_adam", self, {"grads": grads, "exp_avgs": exp_avgs, "exp_avg_sqs": exp_avg_sqs},
           {"max_exp_avg_sqs": max_exp_avg_sqs}, amsgrad, grad_scale, found_inf)
    if len(state_steps) != len(self):
        raise RuntimeError("Expected state_steps.size() == n_tensors to be true, but got false.")
    for i, s in enumerate(state_steps):
        if s.numel() != 1:
            raise RuntimeError(f"_fused_adam_: state_steps[{i}] must hold one element, not {s.numel()}")


def fused_sgd(self, grads, momentum_buffer_list, weight_decay, momentum, lr, dampening, nesterov, maximize,
              is_first_step, grad_scale=None, found_inf=None):
    _check("fused_sgd", self, {"grads": grads}, {"momentum_buffer_list": momentum_buffer_list}, momentum != 0,
           grad_scale, found_inf)


def _check(kernel, params, lists, optional, used, grad_scale, found_inf):
    """`lists` match `params` one to one; each list in `optional` does too when `used`, and is
    empty otherwise."""
    n = len(params)
    if n == 0:  # PyTorch's dispatcher finds no tensor to pick a kernel by
        raise NotImplementedError(f"_{kernel}_: there were no tensor arguments (an empty list of params)")
    lists = dict(lists)
    for name, seq in optional.items():
        if used:
            lists[name] = seq
        elif seq:
            raise RuntimeError(f"Expected {name}.empty() to be true, but got false.")
    for name, seq in lists.items():
        if len(seq) != n:
            raise RuntimeError(f"Expected {name}.size() == n_tensors to be true, but got false.")
    for i, p in enumerate(params):
        if not p.dtype.is_floating_point:
            raise NotImplementedError(f"\"{kernel}_kernel\" not implemented for '{_scalar_name(p.dtype)}'")
        for name, seq in lists.items():
            t = seq[i]
            if t.dtype != p.dtype:
                raise RuntimeError(f"expected scalar type {_scalar_name(p.dtype)} but found {_scalar_name(t.dtype)}")
            if t.shape != p.shape:
                raise RuntimeError(f"_{kernel}_: {name}[{i}] has shape {tuple(t.shape)} but self[{i}] has shape "
                                   f"{tuple(p.shape)}")
    for name, t in (("grad_scale", grad_scale), ("found_inf", found_inf)):
        if t is not None and t.numel() != 1:
            raise RuntimeError(f"_{kernel}_: {name} must hold one element, not {t.numel()}")


def _scalar_name(dtype):
    name = str(dtype).replace("torch.", "")
    return _SCALAR_NAMES.get(name, name.capitalize())
