"""torch.nn.functional beyond single table ops, gathered here so `torch.nn.functional.<name>` finds
them (table ops are served first by the proxy). What stays here is argument glue that PyTorch also
writes in Python, over table ops: embedding (padding_idx, max_norm) over torch.embedding and
torch.embedding_renorm_, interpolate and max_unpool*d over the aten upsample and max_unpool ops,
multi_head_attention_forward, ..."""
from dispatch.opsns import T as _T
from mstorch.impl.torch._ns import torch as _torch
from mstorch.impl.torch.nn.functional_attention import (_canonical_mask, _in_projection, _in_projection_packed,
                                                        _mha_shape_check, _none_or_dtype,
                                                        multi_head_attention_forward)  # noqa: F401
from mstorch.impl.torch.nn.functional_interpolate import (interpolate, upsample, upsample_bilinear,  # noqa: F401
                                                          upsample_nearest)
from mstorch.impl.torch.nn.modules.loss import triplet_margin_with_distance_loss  # noqa: F401
from mstorch.impl.torch.nn.modules.utils import _pair, _single, _triple
from mstorch.impl.torch.nn.modules.sparse import embedding_bag  # noqa: F401


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


def _unpool_output_size(input, kernel_size, stride, padding, output_size):
    nd = len(kernel_size)
    default = [(input.size(-nd + d) - 1) * stride[d] + kernel_size[d] - 2 * padding[d] for d in range(nd)]
    if output_size is None:
        return default
    output_size = list(output_size)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a length "
                         f"of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between {lo} and {hi})')
    return output_size


def _unpool_args(tup, kernel_size, stride, padding):
    kernel_size = tup(kernel_size)
    return kernel_size, (tup(stride) if stride is not None else kernel_size), tup(padding)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size, stride, padding = _unpool_args(_single, kernel_size, stride, padding)
    size = _unpool_output_size(input, kernel_size, stride, padding, output_size) + [1]
    return _T.max_unpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), size).squeeze(-1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size, stride, padding = _unpool_args(_pair, kernel_size, stride, padding)
    return _T.max_unpool2d(input, indices, _unpool_output_size(input, kernel_size, stride, padding, output_size))


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size, stride, padding = _unpool_args(_triple, kernel_size, stride, padding)
    size = _unpool_output_size(input, kernel_size, stride, padding, output_size)
    return _T.max_unpool3d(input, indices, size, stride, padding)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col, the aten op PyTorch's F.unfold calls."""
    return _T.im2col(input, _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride))


def sigmoid(input):
    return _torch.sigmoid(input)


def tanh(input):
    return _torch.tanh(input)


def relu(input, inplace=False):
    return input.relu_() if inplace else _torch.relu(input)


def relu_(input):
    return input.relu_()
