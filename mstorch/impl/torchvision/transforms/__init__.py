"""torchvision.transforms (v1 API)."""
from mstorch.impl.torchvision.transforms.autoaugment import (AutoAugment, AutoAugmentPolicy, RandAugment,
                                                             TrivialAugmentWide)
from mstorch.impl.torchvision.transforms.transforms import *  # noqa: F401,F403
from mstorch.impl.torchvision.transforms.transforms import __all__ as _transform_names

__all__ = list(_transform_names) + ["AutoAugment", "AutoAugmentPolicy", "RandAugment", "TrivialAugmentWide"]
