"""torch.backends.cudnn: no cuDNN here; its flags are accepted (see torch.backends)."""
from mstorch.impl.torch.backends import _flag_context

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True
fp32_precision = "none"


def is_available():
    return False


def version():
    return None


def is_acceptable(tensor):
    return False


def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False, allow_tf32=True):
    return _flag_context("torch.backends.cudnn", globals(), enabled=enabled, benchmark=benchmark,
                         benchmark_limit=benchmark_limit, deterministic=deterministic, allow_tf32=allow_tf32)
