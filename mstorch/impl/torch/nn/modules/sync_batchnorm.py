"""torch.nn.SyncBatchNorm: BatchNorm whose training statistics cover the whole batch spread over
the processes of a group.

Forward: every rank computes its per-channel count, mean and sum of squared deviations, the
ranks all-gather them and combine them with the parallel-variance formula, so each normalises
with the statistics of the concatenated batch (and updates the running statistics with them,
the variance unbiased over the global count).  Backward: the two per-channel sums the input
gradient needs (sum of dy, sum of dy * (x - mean)) are all-reduced; the weight and bias
gradients stay local, as PyTorch's do, because DistributedDataParallel averages them.

Outside training, with no initialised process group, or in a group of one, it is the plain
BatchNorm (PyTorch's fallback).  PyTorch refuses the synchronised path for CPU tensors (its
kernels are CUDA ones); mstorch's collectives run on every MindSpore target, so CPU tensors
are synchronised too.
"""
from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.nn.modules.batchnorm import _BatchNorm


def _reduce_dims(x):
    return [0] + list(range(2, x.dim()))


def _channel_shape(x):
    return [1, x.size(1)] + [1] * (x.dim() - 2)


class _SyncBatchNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias, running_mean, running_var, eps, momentum, process_group, world_size):
        dist = torch.distributed
        channels = input.size(1)
        dims = _reduce_dims(input)
        x = input.float() if input.dtype in (torch.float16, torch.bfloat16) else input
        count = x.numel() // channels
        if count > 0:
            mean = x.mean(dims)
            m2 = ((x - mean.view(_channel_shape(x))) ** 2).sum(dims)
        else:
            # an empty local batch contributes nothing (PyTorch allows ranks without samples)
            mean = torch.zeros(channels, dtype=x.dtype, device=x.device)
            m2 = torch.zeros(channels, dtype=x.dtype, device=x.device)
        local = torch.cat([mean, m2, torch.full((1,), float(count), dtype=x.dtype, device=x.device)])
        gathered = [torch.empty_like(local) for _ in range(world_size)]
        dist.all_gather(gathered, local, group=process_group)
        stats = torch.stack(gathered)                       # (world, 2C+1)
        counts = stats[:, 2 * channels]
        total = counts.sum()
        n_total = int(total.item())
        if n_total <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {n_total}")
        means, m2s = stats[:, :channels], stats[:, channels:2 * channels]
        w = (counts / total).unsqueeze(1)
        gmean = (means * w).sum(0)
        gm2 = m2s.sum(0) + (counts.unsqueeze(1) * (means - gmean) ** 2).sum(0)
        var = gm2 / total
        invstd = torch.rsqrt(var + eps)
        if running_mean is not None:
            running_mean.mul_(1 - momentum).add_(gmean.to(running_mean.dtype) * momentum)
        if running_var is not None:
            unbiased = gm2 / max(n_total - 1, 1)
            running_var.mul_(1 - momentum).add_(unbiased.to(running_var.dtype) * momentum)
        shape = _channel_shape(x)
        xhat = (x - gmean.view(shape)) * invstd.view(shape)
        out = xhat
        if weight is not None:
            out = out * weight.view(shape)
        if bias is not None:
            out = out + bias.view(shape)
        ctx.save_for_backward(input, weight, gmean, invstd)
        ctx.process_group, ctx.world_size, ctx.total = process_group, world_size, total
        return out.to(input.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        dist = torch.distributed
        input, weight, mean, invstd = ctx.saved_tensors
        x = input.float() if input.dtype in (torch.float16, torch.bfloat16) else input
        dy = grad_output.to(x.dtype)
        dims, shape = _reduce_dims(x), _channel_shape(x)
        channels = x.size(1)
        xmu = x - mean.view(shape)
        sum_dy = dy.sum(dims)
        sum_dy_xmu = (dy * xmu).sum(dims)
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            sums = torch.cat([sum_dy, sum_dy_xmu])
            dist.all_reduce(sums, group=ctx.process_group)
            mean_dy = (sums[:channels] / ctx.total).view(shape)
            mean_dy_xmu = (sums[channels:] / ctx.total).view(shape)
            scale = invstd.view(shape) if weight is None else (invstd * weight.to(x.dtype)).view(shape)
            grad_input = ((dy - mean_dy - xmu * (invstd ** 2).view(shape) * mean_dy_xmu) * scale).to(input.dtype)
        if weight is not None and ctx.needs_input_grad[1]:
            grad_weight = (sum_dy_xmu * invstd).to(weight.dtype)
        if ctx.needs_input_grad[2]:
            grad_bias = sum_dy.to(grad_output.dtype)
        return grad_input, grad_weight, grad_bias, None, None, None, None, None, None


class SyncBatchNorm(_BatchNorm):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 process_group=None, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        if input.size(1) == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / self.num_batches_tracked.item() if self.momentum is None else self.momentum
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        running_mean = self.running_mean if not self.training or self.track_running_stats else None
        running_var = self.running_var if not self.training or self.track_running_stats else None
        dist = torch.distributed
        need_sync = bn_training and self.training and dist.is_available() and dist.is_initialized()
        group = world_size = None
        if need_sync:
            group = self.process_group or dist.group.WORLD
            world_size = dist.get_world_size(group)
            need_sync = world_size > 1
        if not need_sync:
            return torch.nn.functional.batch_norm(input, running_mean, running_var, self.weight, self.bias,
                                                  bn_training, factor, self.eps)
        return _SyncBatchNormFunction.apply(input, self.weight, self.bias, running_mean, running_var, self.eps,
                                            factor, group, world_size)

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """`module` with every BatchNorm*d replaced by a SyncBatchNorm sharing its parameters and buffers."""
        converted = module
        if isinstance(module, _BatchNorm):
            converted = SyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine,
                                      module.track_running_stats, process_group, bias=module.bias is not None)
            if module.affine:
                with torch.no_grad():
                    converted.weight = module.weight
                    converted.bias = module.bias
            converted.running_mean = module.running_mean
            converted.running_var = module.running_var
            converted.num_batches_tracked = module.num_batches_tracked
            converted.training = module.training
            if hasattr(module, "qconfig"):
                converted.qconfig = module.qconfig
        for name, child in module.named_children():
            converted.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return converted
