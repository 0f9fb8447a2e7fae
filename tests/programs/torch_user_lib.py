"""A library that imports torch; used by second_module.py."""
import torch
from torch import version  # noqa: F401  (a submodule through the library, too)
