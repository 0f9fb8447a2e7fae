"""The engine: tensors, dtypes, devices, the dispatcher and autograd.

Never imports `mstorch` (arrows go mstorch -> dispatch -> ops_table -> mindspore).
Importing it installs the table's ops and the Python-level conveniences (conversion,
indexing) on Tensor; MindSpore itself is imported when the first MindSpore tensor is made.
"""
from dispatch.tensor import Tensor
# The modules that fill dispatch/upcalls.py's slots (calls of lower layers up into them).
from dispatch import dispatcher, formatting, interop, legacy, meta, opsns, pickling, pyapi  # noqa: F401
from dispatch import shared_memory, sparse, typed_storage, untyped_storage  # noqa: F401
from dispatch.autograd import record  # noqa: F401
from dispatch import conversion as _conversion, indexing as _indexing, methods as _methods
from dispatch import torch_function as _torch_function
from dispatch.autograd import tensor_api as _autograd_tensor_api
from dispatch.autograd import function as _function  # noqa: F401  (hands ops_table the Function base)

_methods.install(Tensor)
_autograd_tensor_api.install(Tensor)  # after the table's methods: they take precedence, as over a base class
_conversion.install(Tensor)
_indexing.install(Tensor)
_torch_function.install(Tensor)  # last: routes what the installs above put on Tensor
