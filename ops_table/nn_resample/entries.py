"""Padding, resampling (interpolate), pixel/channel shuffles, unfold/fold, attention."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, custom, sample, tensor
from . import composites, host, ms


def _composite(schema, func, samples, ns=("torch.nn.functional",), variants=("function",), aliases=()):
    return op(schema, composite=getattr(composites, func), variants=variants, namespaces=ns,
              promote="none", aliases=aliases, samples=samples)


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
]
