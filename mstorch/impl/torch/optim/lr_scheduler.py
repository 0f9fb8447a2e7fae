"""torch.optim.lr_scheduler."""
from mstorch.impl.torch.optim._lr_base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from mstorch.impl.torch.optim._lr_basic import ConstantLR, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, \
    MultiplicativeLR, MultiStepLR, PolynomialLR, StepLR
from mstorch.impl.torch.optim._lr_combine import ChainedScheduler, ReduceLROnPlateau, SequentialLR
from mstorch.impl.torch.optim._lr_cyclic import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
           "SequentialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR",
           "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR", "LRScheduler"]
