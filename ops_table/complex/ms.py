"""Complex-aware kernels for ops whose real path is one primitive: the complex case needs
a different primitive (MindSpore's Abs of complex64 returns complex64)."""
from ops_table.common._ms import prim

_COMPLEX = ("Complex64", "Complex128")


def _is_complex(a):
    return str(a.dtype) in _COMPLEX


def conj_physical(a):
    if _is_complex(a):
        return prim("Conj")(a)
    return a.copy()
