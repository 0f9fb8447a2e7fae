"""torch.nn.functional dropout family.  Composites following ATen's `_dropout_impl`:
the noise is `bernoulli_(1 - p)` drawn from the default generator (so masks are
PyTorch's bit for bit), scaled, and multiplied in; autograd records that product,
which is the `grad * noise` backward.  Parity samples seed both generators."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, custom, sample, tensor
from . import composites


_ARGS = "(Tensor input, float p=0.5, bool training={train}, bool inplace=False) -> Tensor"


def _dropout(name, train=True, sample_name="dropout_args", invalid=None):
    return op(f"{name}{_ARGS.format(train=train)}",
              composite=getattr(composites, name),
              variants=("function",), namespaces=("torch.nn.functional",), promote="none",
              samples=sample([custom("rng_seed"), custom(sample_name)], dtypes=FLOAT, method=False,
                             invalid=invalid or [call(tensor(), 1.5)]))


ENTRIES = [
    _dropout("dropout"),
    _dropout("dropout1d", sample_name="dropout1d_args", invalid=[call(tensor(), 1.5), call(tensor(shape=(2, 3, 4, 5)))]),
    _dropout("dropout2d", sample_name="dropout2d_args"),
    _dropout("dropout3d", sample_name="dropout3d_args"),
    _dropout("alpha_dropout", train=False),
    _dropout("feature_alpha_dropout", train=False, sample_name="feature_dropout_args"),
]
