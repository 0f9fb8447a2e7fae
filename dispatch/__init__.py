"""The engine: tensors, dtypes, devices, the dispatcher and autograd.

Never imports `mstorch` (arrows go mstorch -> dispatch -> ops_table -> mindspore).
Importing it installs the table's ops and the Python-level conveniences (conversion,
indexing) on Tensor; MindSpore itself is imported when the first MindSpore tensor is made.
"""
from dispatch.tensor import Tensor
from dispatch import conversion as _conversion, indexing as _indexing, methods as _methods
from dispatch import torch_function as _torch_function

_methods.install(Tensor)
_conversion.install(Tensor)
_indexing.install(Tensor)
_torch_function.install(Tensor)  # last: routes what the installs above put on Tensor
