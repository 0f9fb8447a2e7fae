"""torch.backends.mkldnn: MindSpore's CPU kernels use oneDNN; the flag is accepted."""
from mstorch.impl.torch.backends import _flag_context

enabled = True
deterministic = False


def is_available():
    return True


def flags(enabled=False, deterministic=False):
    return _flag_context("torch.backends.mkldnn", globals(), enabled=enabled, deterministic=deterministic)
