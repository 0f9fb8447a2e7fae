"""Classes of torch.distributions that mstorch does not serve yet. Libraries import them at
module level (peft's LoRA variants import Wishart) and may subclass them, so each is a real
class; constructing one raises NotImplementedError naming it."""

__all__ = ["unserved_distribution", "unserved_transform"]


def _raise(name):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"mstorch does not support torch.distributions.{name} yet")
    return __init__


def unserved_distribution(name, module):
    from mstorch.impl.torch.distributions.distribution import Distribution
    return type(name, (Distribution,), {"__init__": _raise(name), "__module__": f"torch.distributions.{module}",
                                        "__doc__": f"torch.distributions.{name}: not supported by mstorch yet."})


def unserved_transform(name, base):
    return type(name, (base,), {"__init__": _raise(name), "__module__": "torch.distributions.transforms",
                                "__doc__": f"torch.distributions.{name}: not supported by mstorch yet."})
