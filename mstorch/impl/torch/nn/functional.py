"""torch.nn.functional beyond single table ops, gathered here so `torch.nn.functional.<name>` finds
them (table ops are served first by the proxy). What stays here is argument glue that PyTorch also
writes in Python, over table ops: embedding (padding_idx, max_norm) over torch.embedding and
torch.embedding_renorm_, interpolate over the upsample ops, multi_head_attention_forward, ..."""
from mstorch.impl.torch._ns import torch as _torch
from mstorch.impl.torch.nn.functional_attention import (_canonical_mask, _in_projection, _in_projection_packed,
                                                        _mha_shape_check, _none_or_dtype,
                                                        multi_head_attention_forward)
from mstorch.impl.torch.nn.functional_interpolate import interpolate, upsample, upsample_bilinear, upsample_nearest
from mstorch.impl.torch.nn.modules.fold import unfold
from mstorch.impl.torch.nn.modules.loss import triplet_margin_with_distance_loss
from mstorch.impl.torch.nn.modules.pooling import max_unpool as _max_unpool
from mstorch.impl.torch.nn.modules.sparse import embedding_bag


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """PyTorch's F.embedding: padding_idx normalised (negative counts from the end, None is -1), the rows
    `input` references renormalised in place to max_norm (without recording a gradient), then the lookup."""
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < weight.size(0), "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -weight.size(0), "Padding_idx must be within num_embeddings"
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        with _torch.no_grad():
            _torch.embedding_renorm_(weight, input, max_norm, norm_type)
    return _torch.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)


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
