"""torch.finfo / torch.iinfo: the numeric limits of a dtype, as PyTorch reports them."""
from dispatch import dtypes as _dt

# bits, eps, max, smallest normal (tiny), resolution (10 ** -decimal digits).  Written out
# because NumPy knows neither bfloat16 nor the float8 formats.
_FLOATS = {
    "float64": (64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15),
    "float32": (32, 1.1920928955078125e-07, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-06),
    "float16": (16, 0.0009765625, 65504.0, 6.103515625e-05, 0.001),
    "bfloat16": (16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01),
    "float8_e4m3fn": (8, 0.125, 448.0, 0.015625, 1.0),
    "float8_e5m2": (8, 0.25, 57344.0, 6.103515625e-05, 1.0),
}


class finfo:
    def __init__(self, type=None):
        type = _dt.get_default_dtype() if type is None else type
        if not isinstance(type, _dt.dtype):
            raise TypeError(f"finfo(): argument 'type' (position 1) must be torch.dtype, not {_type_name(type)}")
        if type.is_complex:
            type = type.to_real()
        if type.name not in _FLOATS:
            raise TypeError(f"torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            f"'torch.finfo'")
        self.bits, self.eps, self.max, self.tiny, self.resolution = _FLOATS[type.name]
        self.min = -self.max
        self.smallest_normal = self.tiny
        self.dtype = type.name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    def __init__(self, type):
        import numpy as np
        if not isinstance(type, _dt.dtype):
            raise TypeError(f"iinfo(): argument 'type' (position 1) must be torch.dtype, not {_type_name(type)}")
        if type is _dt.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.category != _dt.int64.category:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits = type.itemsize * 8
        self.min, self.max = int(info.min), int(info.max)
        self.dtype = type.name

    def __repr__(self):
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


def _type_name(value):
    return type(value).__name__
