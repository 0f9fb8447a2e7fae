"""F.interpolate and the F.upsample* spellings: argument glue (PyTorch writes it in Python too)
over the table's upsample ops (ops_table/nn_resample/entries.py) and adaptive_avg_pool."""
import math

from dispatch.opsns import T
from mstorch.impl.torch._ns import F

_MODES = "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact"
_LINEAR_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
_NEAREST_OPS = {("nearest", 3): "upsample_nearest1d", ("nearest", 4): "upsample_nearest2d",
                ("nearest", 5): "upsample_nearest3d", ("nearest-exact", 3): "_upsample_nearest_exact1d",
                ("nearest-exact", 4): "_upsample_nearest_exact2d", ("nearest-exact", 5): "_upsample_nearest_exact3d"}
_LINEAR_OPS = {"linear": "upsample_linear1d", "bilinear": "upsample_bilinear2d", "bicubic": "upsample_bicubic2d",
               "trilinear": "upsample_trilinear3d"}


def _sizes(input, size, scale_factor, recompute_scale_factor, mode):
    """(output_size, scale_factors) as PyTorch's interpolate settles them: exactly one is a list."""
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            if not all(isinstance(s, int) or (hasattr(s, "__index__") and not isinstance(s, float)) for s in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}")
            output_size = [int(s) for s in size]
        else:
            output_size = [int(size)] * dim
        scale_factors = None
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "scale_factor in (s1, s2, ...,sK) format.")
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim
        output_size = None
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if output_size is None:
        # The size the kernels would compute from the scale factors (floor of size * scale).
        output_size = [int(math.floor(float(input.size(i + 2)) * scale_factors[i])) for i in range(dim)]
        if recompute_scale_factor:
            scale_factors = None
    return output_size, scale_factors


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    output_size, scale_factors = _sizes(input, size, scale_factor, recompute_scale_factor, mode)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    rank = input.dim()
    scales = scale_factors if scale_factors is not None else [None] * (rank - 2)
    if rank in (3, 4, 5):
        if mode == "area":
            pool = {3: F.adaptive_avg_pool1d, 4: F.adaptive_avg_pool2d}.get(rank)
            if pool is None:
                raise NotImplementedError("mstorch: F.interpolate(mode='area') on 5D input is not supported yet "
                                          "(adaptive_avg_pool3d)")
            return pool(input, output_size if rank > 3 else output_size[0])
        if mode in ("nearest", "nearest-exact"):
            return getattr(T, _NEAREST_OPS[(mode, rank)])(input, output_size, *scales)
        if mode in _LINEAR_RANK:
            if _LINEAR_RANK[mode] != rank:
                raise NotImplementedError(f"Got {rank}D input, but {mode} mode needs {_LINEAR_RANK[mode]}D input")
            if antialias:
                raise NotImplementedError(f"mstorch: F.interpolate(mode={mode!r}, antialias=True) is not supported "
                                          f"yet (_upsample_{mode}2d_aa)")
            return getattr(T, _LINEAR_OPS[mode])(input, output_size, align_corners, *scales)
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {rank}D) for the "
                              f"modes: {_MODES} (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
