"""MindSpore-backend constant padding: the NumPy kernel of host.py run on a host copy."""
from ops_table.nn_resample import host as _np
from ops_table.common._ms import from_host


def constant_pad_nd(x, pad, value):
    return from_host(_np.constant_pad_nd(x.asnumpy(), pad, value))
