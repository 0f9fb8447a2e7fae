"""F.scaled_dot_product_attention: PyTorch's math formulation (MindSpore has no CPU fused
attention kernel), with bool/float masks, is_causal, scale, dropout and grouped-query heads."""
import math

from mstorch.impl.torch._ns import F, torch


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must have at least 2 dimensions")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead.")
    L, S = query.size(-2), key.size(-2)
    if enable_gqa and query.dim() >= 3 and key.size(-3) != query.size(-3):
        groups = query.size(-3) // key.size(-3)
        key = key.repeat_interleave(groups, -3)
        value = value.repeat_interleave(groups, -3)
    s = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    # Scaling both operands by sqrt(scale) is what PyTorch's math kernel does (it keeps
    # float16 products in range); the result is the same to rounding.
    root = math.sqrt(s)
    attn = torch.matmul(query * root, key.transpose(-2, -1) * root)
    bias = None
    if is_causal:
        keep = torch.ones(L, S, dtype=torch.bool).tril()
        bias = torch.zeros(L, S, dtype=query.dtype).masked_fill(keep.logical_not(), float("-inf"))
    elif attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            bias = torch.zeros(attn_mask.shape, dtype=query.dtype).masked_fill(attn_mask.logical_not(),
                                                                                float("-inf"))
        else:
            bias = attn_mask
    if bias is None:
        attn = torch.softmax(attn, -1)
    else:
        attn = attn + bias
        # Rows with nothing to attend to give zeros, as PyTorch's CPU kernel does.
        dead = (attn == float("-inf")).all(-1, keepdim=True)
        attn = torch.softmax(attn.masked_fill(dead, 0.0), -1).masked_fill(dead, 0.0)
    if dropout_p > 0.0:
        attn = F.dropout(attn, dropout_p, True)
    return torch.matmul(attn, value)
