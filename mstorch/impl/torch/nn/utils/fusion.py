"""Folding an eval-mode BatchNorm into the conv or linear layer before it.

BatchNorm in eval mode is the affine map y = (x - mean) * w / sqrt(var + eps) + b, so it
can be absorbed into the preceding layer's weight (scaled per output channel) and bias."""
import copy

from mstorch.impl.torch._ns import torch

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval", "fuse_linear_bn_weights"]


def _check_eval(layer, bn):
    if layer.training or bn.training:
        raise AssertionError("Fusion only for eval!")
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("bn.running_mean and bn.running_var must not be None")


def _fused_bias(bias, bn_rm, inv_std, bn_w, bn_b, dtype):
    return ((bias - bn_rm) * inv_std * bn_w + bn_b).to(dtype=dtype)


def fuse_conv_bn_eval(conv, bn, transpose=False):
    """A copy of `conv` computing conv followed by `bn` (both in eval mode)."""
    _check_eval(conv, bn)
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(fused.weight, fused.bias, bn.running_mean, bn.running_var,
                                                    bn.eps, bn.weight, bn.bias, transpose)
    return fused


def fuse_conv_bn_weights(conv_w, conv_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b, transpose=False):
    """(weight, bias) Parameters of the fused conv; the output channel is dim 0 of the
    weight, or dim 1 for a transposed conv."""
    w_dtype = conv_w.dtype
    b_dtype = w_dtype if conv_b is None else conv_b.dtype
    conv_b = torch.zeros_like(bn_rm) if conv_b is None else conv_b
    bn_w = torch.ones_like(bn_rm) if bn_w is None else bn_w
    bn_b = torch.zeros_like(bn_rm) if bn_b is None else bn_b
    inv_std = torch.rsqrt(bn_rv + bn_eps)
    channel_shape = [1] * conv_w.dim()
    channel_shape[1 if transpose else 0] = -1
    weight = (conv_w * (bn_w * inv_std).reshape(channel_shape)).to(dtype=w_dtype)
    bias = _fused_bias(conv_b, bn_rm, inv_std, bn_w, bn_b, b_dtype)
    return torch.nn.Parameter(weight, conv_w.requires_grad), torch.nn.Parameter(bias, conv_b.requires_grad)


def fuse_linear_bn_eval(linear, bn):
    """A copy of `linear` computing linear followed by `bn` (both in eval mode)."""
    _check_eval(linear, bn)
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise AssertionError("To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got "
                             f"linear.out_features={linear.out_features} and bn.num_features={bn.num_features}")
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(fused.weight, fused.bias, bn.running_mean, bn.running_var,
                                                      bn.eps, bn.weight, bn.bias)
    return fused


def fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b):
    """(weight, bias) Parameters of the fused linear layer."""
    w_dtype = linear_w.dtype
    b_dtype = w_dtype if linear_b is None else linear_b.dtype
    linear_b = torch.zeros_like(bn_rm) if linear_b is None else linear_b
    inv_std = torch.rsqrt(bn_rv + bn_eps)
    weight = linear_w * (bn_w * inv_std).unsqueeze(-1).to(dtype=w_dtype)
    bias = _fused_bias(linear_b, bn_rm, inv_std, bn_w, bn_b, b_dtype)
    return torch.nn.Parameter(weight, linear_w.requires_grad), torch.nn.Parameter(bias, linear_b.requires_grad)
