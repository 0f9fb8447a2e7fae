"""torch.nn.attention.flex_attention: the mask combinators work (they are plain Python);
flex_attention itself and block masks need PyTorch's generated kernels and raise naming
themselves. BlockMask exists as a type for isinstance checks."""
_DEFAULT_SPARSE_BLOCK_SIZE = 128


def _unsupported(name):
    return NotImplementedError(f"mstorch: torch.nn.attention.flex_attention.{name} is not supported (no flex "
                               "attention kernels); express the mask as a boolean attn_mask for "
                               "torch.nn.functional.scaled_dot_product_attention instead")


def flex_attention(query, key, value, score_mod=None, block_mask=None, scale=None, enable_gqa=False,
                   return_lse=False, kernel_options=None, *, return_aux=None):
    raise _unsupported("flex_attention")


def create_block_mask(mask_mod, B, H, Q_LEN, KV_LEN, device="cuda", BLOCK_SIZE=_DEFAULT_SPARSE_BLOCK_SIZE,
                      _compile=False):
    raise _unsupported("create_block_mask")


def create_mask(mod_fn, B, H, Q_LEN, KV_LEN, device="cuda"):
    raise _unsupported("create_mask")


class BlockMask:
    def __init__(self, *args, **kwargs):
        raise _unsupported("BlockMask")


class AuxRequest:
    def __init__(self, *args, **kwargs):
        raise _unsupported("AuxRequest")


def noop_mask(batch, head, token_q, token_kv):
    from mstorch.impl.torch._ns import torch
    return batch.new_ones(size=(), dtype=torch.bool, device=batch.device)


def _check_callable(mask_mods):
    if not all(callable(m) for m in mask_mods):
        raise RuntimeError(f"All inputs should be callable mask_mods: {mask_mods}")


def and_masks(*mask_mods):
    _check_callable(mask_mods)

    def and_mask(b, h, q_idx, kv_idx):
        from mstorch.impl.torch._ns import torch
        result = b.new_ones(size=(), dtype=torch.bool)
        for mod in mask_mods:
            result = result & mod(b, h, q_idx, kv_idx)
        return result
    return and_mask


def or_masks(*mask_mods):
    _check_callable(mask_mods)

    def or_mask(b, h, q_idx, kv_idx):
        from mstorch.impl.torch._ns import torch
        result = b.new_zeros(size=(), dtype=torch.bool)
        for mod in mask_mods:
            result = result | mod(b, h, q_idx, kv_idx)
        return result
    return or_mask
