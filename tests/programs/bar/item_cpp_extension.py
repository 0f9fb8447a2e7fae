"""Deliver item: C++/CUDA extensions raise NotImplementedError naming the API. Under mstorch only."""
import torch
import torch.utils.cpp_extension as ext
from _util import emit

msgs = {}
for name, call in (("load", lambda: ext.load("myext", ["myext.cpp"])),
                   ("load_inline", lambda: ext.load_inline("myext", "int f() { return 1; }")),
                   ("CppExtension", lambda: ext.CppExtension("myext", ["myext.cpp"])),
                   ("CUDAExtension", lambda: ext.CUDAExtension("myext", ["myext.cu"])),
                   ("BuildExtension", lambda: ext.BuildExtension())):
    try:
        call()
        msgs[name] = None
    except NotImplementedError as e:
        msgs[name] = str(e)
emit(msgs)
