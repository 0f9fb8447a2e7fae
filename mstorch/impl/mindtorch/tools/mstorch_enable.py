"""Importing this module serves `torch` / `torchvision` from mstorch from then on
(as `from mindtorch.tools import mstorch_enable` did in the older adapter)."""
import mstorch

mstorch.enable()
