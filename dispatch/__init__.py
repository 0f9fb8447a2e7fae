"""The engine: tensors, dtypes, devices, the dispatcher and autograd.

Never imports `mstorch` (arrows go mstorch -> dispatch -> ops_table -> mindspore).
Importing it installs the table's ops as Tensor methods; MindSpore itself is imported
when the first MindSpore tensor is made.
"""
from dispatch.tensor import Tensor
from dispatch import methods as _methods

_methods.install(Tensor)
from dispatch import conversion as _conversion

_conversion.install(Tensor)
