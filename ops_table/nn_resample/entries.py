"""Padding, resampling (the upsample kernels behind F.interpolate), pixel/channel shuffles."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, custom, sample, tensor
from . import composites, host, ms


def _composite(schema, func, samples, ns=("torch.nn.functional",), variants=("function",), aliases=()):
    return op(schema, composite=getattr(composites, func), variants=variants, namespaces=ns,
              promote="none", aliases=aliases, samples=samples)


def _upsample(name, nd, linear):
    """The aten upsample kernels F.interpolate calls (one per mode and rank, as in PyTorch)."""
    scales = ", ".join(f"float? scales{s}=None" for s in (("",) if nd == 1 else ("_d", "_h", "_w")[3 - nd:]))
    corners = "bool align_corners, " if linear else ""
    schema = f"{name}(Tensor self, SymInt[{nd}] output_size, {corners}{scales}) -> Tensor"
    return _composite(schema, name, sample([custom(f"upsample_args_{nd}d_{'linear' if linear else 'nearest'}")],
                                           dtypes=FLOAT, atol=1e-5, rtol=1e-5), ns=(), variants=())


ENTRIES = [
    op("constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor",
       kernels={"default": ms.constant_pad_nd, "ascend": "mint:nn.functional.pad", "host": host.constant_pad_nd},
       variants=("function",), promote="none", check=host.check_constant_pad_nd,
       backward={"self": "T.constant_pad_nd(grad, [-p for p in pad], 0)"},
       samples=sample([tensor(), custom("pad_widths"), custom("pad_value")], dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), (1,)), call(tensor(shape=(2, 3)), (1, 1, 1, 1, 1, 1))])),
    _composite('pad(Tensor self, SymInt[] pad, str mode="constant", float? value=None) -> Tensor', "pad",
               sample([custom("pad_args")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), (3, 3), "reflect"),
                               call(tensor(shape=(2, 3)), (1, 1, 1, 1), "reflect"),
                               call(tensor(shape=(2, 3)), (1, 1), "foo")])),
    _composite("pixel_shuffle(Tensor self, int upscale_factor) -> Tensor", "pixel_shuffle",
               sample([custom("shuffle_input"), custom("shuffle_factor")], dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(3, 2, 2)), 2)]), ns=("torch.nn.functional", "torch")),
    _composite("pixel_unshuffle(Tensor self, int downscale_factor) -> Tensor", "pixel_unshuffle",
               sample([custom("unshuffle_input"), custom("shuffle_factor")], dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(1, 3, 3)), 2)]), ns=("torch.nn.functional", "torch")),
    _composite("channel_shuffle(Tensor self, int groups) -> Tensor", "channel_shuffle",
               sample([custom("channel_shuffle_input"), custom("shuffle_factor")], dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(1, 3, 2)), 2)]), ns=("torch.nn.functional", "torch")),
    _upsample("upsample_nearest1d", 1, False),
    _upsample("upsample_nearest2d", 2, False),
    _upsample("upsample_nearest3d", 3, False),
    _upsample("_upsample_nearest_exact1d", 1, False),
    _upsample("_upsample_nearest_exact2d", 2, False),
    _upsample("_upsample_nearest_exact3d", 3, False),
    _upsample("upsample_linear1d", 1, True),
    _upsample("upsample_bilinear2d", 2, True),
    _upsample("upsample_bicubic2d", 2, True),
    _upsample("upsample_trilinear3d", 3, True),
]
