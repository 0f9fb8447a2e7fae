"""Argument checks for the fused optimizer ops (PyTorch's error types and wording)."""


def fused_adam(self, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, lr, beta1, beta2, weight_decay,
               eps, amsgrad, maximize, grad_scale=None, found_inf=None):
    n = len(self)
    if n == 0:  # PyTorch's dispatcher finds no tensor to pick a kernel by
        raise NotImplementedError("_fused_adam_: there were no tensor arguments (an empty list of params)")
    lists = {"grads": grads, "exp_avgs": exp_avgs, "exp_avg_sqs": exp_avg_sqs, "state_steps": state_steps}
    if amsgrad:
        lists["max_exp_avg_sqs"] = max_exp_avg_sqs
    elif max_exp_avg_sqs:
        raise RuntimeError("Expected max_exp_avg_sqs.empty() to be true, but got false.")
    for name, seq in lists.items():
        if len(seq) != n:
            raise RuntimeError(f"Expected {name}.size() == n_tensors to be true, but got false.")
    for i, p in enumerate(self):
        if p is None:
            raise TypeError(f"_fused_adam_(): argument 'self' must be a list of Tensors, got None at index {i}")
        if not p.dtype.is_floating_point:
            raise RuntimeError(f"_fused_adam_: params must be floating point, got {p.dtype} at index {i}")
        for name, seq in lists.items():
            if name == "state_steps":
                if seq[i].numel() != 1:
                    raise RuntimeError(f"_fused_adam_: state_steps[{i}] must hold one element, "
                                       f"not {seq[i].numel()}")
                continue
            t = seq[i]
            if t.dtype != p.dtype:
                raise RuntimeError(f"expected scalar type {_scalar_name(p.dtype)} but found {_scalar_name(t.dtype)}")
            if t.shape != p.shape:
                raise RuntimeError(f"_fused_adam_: {name}[{i}] has shape {tuple(t.shape)} but self[{i}] has shape "
                                   f"{tuple(p.shape)}")
    for name, t in (("grad_scale", grad_scale), ("found_inf", found_inf)):
        if t is not None and t.numel() != 1:
            raise RuntimeError(f"_fused_adam_: {name} must hold one element, not {t.numel()}")


_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16"}


def _scalar_name(dtype):
    name = str(dtype).replace("torch.", "")
    return _SCALAR_NAMES.get(name, name.capitalize())
