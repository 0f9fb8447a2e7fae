"""scaled_dot_product_attention as a decomposition into table ops (matmul, softmax, dropout), so
autograd (and double backward) comes from those ops' formulas."""
import math


def scaled_dot_product_attention(T, query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa):
    """PyTorch's math formulation (MindSpore has no CPU fused attention kernel), with bool/float masks,
    is_causal, scale, dropout and grouped-query heads."""
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must have at least 2 dimensions")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead.")
    L, S = query.size(-2), key.size(-2)
    if enable_gqa and key.size(-3) != query.size(-3):
        groups = query.size(-3) // key.size(-3)
        key = key.repeat_interleave(groups, -3)
        value = value.repeat_interleave(groups, -3)
    s = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    # Scaling both operands by sqrt(scale) is what PyTorch's math kernel does (it keeps
    # float16 products in range); the result is the same to rounding.
    root = math.sqrt(s)
    attn = T.matmul(query * root, key.transpose(-2, -1) * root)
    bias = None
    if is_causal:
        keep = T.ones(L, S, dtype=T.bool, device=query.device).tril()
        bias = T.zeros(L, S, dtype=query.dtype, device=query.device).masked_fill(keep.logical_not(), -math.inf)
    elif attn_mask is not None:
        if attn_mask.dtype == T.bool:
            bias = T.zeros(attn_mask.shape, dtype=query.dtype, device=query.device).masked_fill(
                attn_mask.logical_not(), -math.inf)
        else:
            bias = attn_mask
    if bias is None:
        attn = T.softmax(attn, -1)
    else:
        attn = attn + bias
        # Rows with nothing to attend to give zeros, as PyTorch's CPU kernel does.
        dead = (attn == -math.inf).all(-1, keepdim=True)
        attn = T.softmax(attn.masked_fill(dead, 0.0), -1).masked_fill(dead, 0.0)
    if dropout_p > 0.0:
        attn = T.dropout(attn, dropout_p, True, False)
    return T.matmul(attn, value)
