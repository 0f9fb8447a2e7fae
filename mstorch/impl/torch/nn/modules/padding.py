"""Constant/Zero/Reflection/Replication/Circular padding modules, 1d to 3d."""
from mstorch.impl.torch._ns import F
from mstorch.impl.torch.nn.modules.module import Module
from mstorch.impl.torch.nn.modules.utils import _ntuple, _pair, _quadruple

_sextuple = _ntuple(6, "_sextuple")
_TUPLES = {1: _pair, 2: _quadruple, 3: _sextuple}


class _PadNd(Module):
    _nd = 0
    _mode = None

    def __init__(self, padding):
        super().__init__()
        self.padding = _TUPLES[self._nd](padding)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    _mode = "constant"

    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    _nd = 1


class ConstantPad2d(_ConstantPadNd):
    _nd = 2


class ConstantPad3d(_ConstantPadNd):
    _nd = 3


class _ZeroPad:
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad, ConstantPad1d):
    pass


class ZeroPad2d(_ZeroPad, ConstantPad2d):
    pass


class ZeroPad3d(_ZeroPad, ConstantPad3d):
    pass


def _padding_family(mode, prefix):
    classes = {}
    for nd in (1, 2, 3):
        name = f"{prefix}{nd}d"
        classes[name] = type(name, (_PadNd,), {"_nd": nd, "_mode": mode, "__module__": __name__,
                                               "__qualname__": name})
    return classes


_made = {**_padding_family("reflect", "ReflectionPad"), **_padding_family("replicate", "ReplicationPad"),
         **_padding_family("circular", "CircularPad")}
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = (_made[f"ReflectionPad{n}d"] for n in (1, 2, 3))
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = (_made[f"ReplicationPad{n}d"] for n in (1, 2, 3))
CircularPad1d, CircularPad2d, CircularPad3d = (_made[f"CircularPad{n}d"] for n in (1, 2, 3))
