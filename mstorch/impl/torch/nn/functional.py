"""torch.nn.functional beyond single table ops: composites written in Python, gathered here
so `torch.nn.functional.<name>` finds them (table ops are served first by the proxy)."""
from mstorch.impl.torch._ns import torch as _torch
from mstorch.impl.torch.nn.functional_attention import (_canonical_mask, _in_projection, _in_projection_packed,
                                                        _mha_shape_check, _none_or_dtype,
                                                        multi_head_attention_forward)
from mstorch.impl.torch.nn.functional_sdpa import scaled_dot_product_attention
from mstorch.impl.torch.nn.modules.channelshuffle import channel_shuffle  # noqa: F401
from mstorch.impl.torch.nn.modules.fold import unfold
from mstorch.impl.torch.nn.modules.loss import (ctc_loss, multi_margin_loss, multilabel_margin_loss,
                                                triplet_margin_with_distance_loss)
from mstorch.impl.torch.nn.modules.normalization import rms_norm
from mstorch.impl.torch.nn.modules.pooling import max_unpool as _max_unpool
from mstorch.impl.torch.nn.modules.sparse import embedding_bag
from mstorch.impl.torch.nn.modules.upsampling import interpolate


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


def sigmoid(input):
    return _torch.sigmoid(input)


def tanh(input):
    return _torch.tanh(input)


def relu(input, inplace=False):
    return input.relu_() if inplace else _torch.relu(input)


def relu_(input):
    return input.relu_()
