"""`torch._tensor_str`: the print options that repr() of tensors reads (one shared state with
dispatch.formatting, so `torch._tensor_str.PRINT_OPTS.precision = 2` takes effect at once)."""
from dispatch.formatting import PRINT_OPTS, get_printoptions, printoptions, set_printoptions


def _str(self, *, tensor_contents=None):
    from dispatch.formatting import tensor_repr
    return tensor_repr(self, tensor_contents=tensor_contents)


__all__ = ["PRINT_OPTS", "get_printoptions", "printoptions", "set_printoptions"]
