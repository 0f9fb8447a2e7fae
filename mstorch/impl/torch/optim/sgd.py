"""torch.optim.SGD (momentum, dampening, Nesterov, weight decay, maximize): the fused kernel
(`torch._fused_sgd_`) with `fused=True` and by default, PyTorch's per-tensor loop with
`foreach=False`."""
from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.optim.optimizer import Optimizer, _as_number, _check_fused_flags, _check_fused_param, \
    _check_lr, _fused_by_default, _group_for_fused, _to_scalar, _use_grad_for_differentiable

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    _legacy_defaults = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": False}

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused_flags(defaults)
        if fused:
            # GradScaler then hands over grad_scale/found_inf instead of unscaling itself.
            self._step_supports_amp_scaling = True

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params, grads, bufs = [], [], []
            for p in group["params"]:
                if p.grad is not None:
                    if group["fused"]:
                        _check_fused_param(p)
                    params.append(p)
                    grads.append(p.grad)
                    if group["momentum"] != 0:
                        bufs.append(self.state[p].get("momentum_buffer"))
            sgd(params, grads, bufs, weight_decay=group["weight_decay"], momentum=group["momentum"],
                lr=group["lr"], dampening=group["dampening"], nesterov=group["nesterov"],
                maximize=group["maximize"], foreach=group["foreach"], fused=group["fused"],
                differentiable=group["differentiable"], grad_scale=getattr(self, "grad_scale", None),
                found_inf=getattr(self, "found_inf", None))
            if group["momentum"] != 0:
                for p, buf in zip(params, bufs):
                    self.state[p]["momentum_buffer"] = buf
        return loss


def sgd(params, d_p_list, momentum_buffer_list, has_sparse_grad=False, foreach=None, fused=None, grad_scale=None,
        found_inf=None, *, weight_decay, momentum, lr, dampening, nesterov, maximize, differentiable=False):
    if fused is None and foreach is None:
        fused = _fused_by_default(params, differentiable)
    hyper = dict(weight_decay=_as_number(weight_decay), momentum=momentum, lr=_to_scalar(lr), dampening=dampening,
                 nesterov=nesterov, maximize=maximize)
    if fused:
        return _fused_sgd(params, d_p_list, momentum_buffer_list, grad_scale, found_inf, **hyper)
    if grad_scale is not None or found_inf is not None:
        raise AssertionError("grad_scale and found_inf are only supported by the fused implementation")
    return _single_tensor_sgd(params, d_p_list, momentum_buffer_list, **hyper)


def _fused_sgd(params, grads, momentum_buffer_list, grad_scale, found_inf, *, weight_decay, momentum, lr, dampening,
               nesterov, maximize):
    """PyTorch's fused path; buffers are created for parameters that have none yet, and the
    kernel is told it is their first step (PyTorch supports only all-or-none)."""
    if not params:
        return
    for idx in _group_for_fused(params):
        fresh, started = [], []
        for i in idx:
            (fresh if momentum != 0 and momentum_buffer_list[i] is None else started).append(i)
        for i in fresh:
            momentum_buffer_list[i] = torch.empty_like(grads[i])
        for first, part in ((True, fresh), (False, started)):
            if part:
                torch._fused_sgd_([params[i] for i in part], [grads[i] for i in part],
                                  [momentum_buffer_list[i] for i in part] if momentum != 0 else [],
                                  weight_decay=weight_decay, momentum=momentum, lr=lr, dampening=dampening,
                                  nesterov=nesterov, maximize=maximize, is_first_step=first, grad_scale=grad_scale,
                                  found_inf=found_inf)


def _single_tensor_sgd(params, d_p_list, momentum_buffer_list, *, weight_decay, momentum, lr, dampening, nesterov,
                       maximize):
    lr = _as_number(lr)
    for i, param in enumerate(params):
        grad = d_p_list[i] if not maximize else -d_p_list[i]
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = grad.detach().clone()
                momentum_buffer_list[i] = buf
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - dampening)
            grad = grad.add(buf, alpha=momentum) if nesterov else buf
        param.add_(grad, alpha=-lr)
