"""Pooling (max / avg / adaptive / lp) and im2col / col2im (F.unfold / F.fold).

Max pooling runs a NumPy window gather on the tensor's memory (MindSpore's CPU MaxPool
has no indices output in torch's flat layout and its backward measured ~48 ms on a LeNet
layer); the gradient is a scatter of grad by the indices, its own aten op.  Average and
adaptive-average pooling, im2col and col2im are composites over conv / conv_transpose;
max_unpool is a scatter into zeros."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, custom, sample, tensor
from . import composites, host, ms

_F = ("torch.nn.functional",)


def _comp(schema, func, samples, ns=_F, aliases=()):
    return op(schema, composite=getattr(composites, func), variants=("function",), namespaces=ns,
              promote="none", aliases=aliases, samples=samples)


_POOL_INVALID = [call(tensor(shape=(2, 3)), (2, 2))]

ENTRIES = [
    op("max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, "
       "int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
       kernels={"default": ms.max_pool2d_with_indices, "host": host.max_pool2d_with_indices},
       variants=("function",), namespaces=_F, promote="none", nondiff_outputs=(1,),
       check=host.check_max_pool2d,
       backward={"self": "T.max_pool2d_with_indices_backward(grad, self, kernel_size, stride or kernel_size, "
                         "padding, dilation, ceil_mode, results[1])"},
       samples=sample([custom("pool2d_args")], dtypes=FLOAT, invalid=_POOL_INVALID)),
    op("max_pool2d_with_indices_backward(Tensor grad_output, Tensor self, int[2] kernel_size, int[2] stride, "
       "int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices) -> Tensor",
       kernels={"default": ms.max_pool2d_with_indices_backward, "host": host.max_pool2d_with_indices_backward},
       variants=(), promote="none", backward={"grad_output": "pool_gather(grad, indices)", "self": "T.zeros_like(self)"},
       samples=sample([custom("pool_backward_args")], dtypes=FLOAT)),
    op("adaptive_max_pool2d_with_indices(Tensor self, Any output_size) -> (Tensor, Tensor)",
       kernels={"default": ms.adaptive_max_pool2d, "host": host.adaptive_max_pool2d},
       variants=("function",), namespaces=_F, promote="none", nondiff_outputs=(1,),
       check=host.check_adaptive_max_pool2d,
       backward={"self": "T.adaptive_max_pool2d_backward(grad, self, results[1])"},
       samples=sample([tensor(ndim=(3, 4), min_size=1), custom("adaptive_size2")], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 3)), (2, 2))])),
    op("adaptive_max_pool2d_backward(Tensor grad_output, Tensor self, Tensor indices) -> Tensor",
       kernels={"default": ms.adaptive_max_pool2d_backward, "host": host.adaptive_max_pool2d_backward},
       variants=(), promote="none", backward={"grad_output": "pool_gather(grad, indices)", "self": "T.zeros_like(self)"},
       samples=sample([custom("adaptive_pool_backward_args")], dtypes=FLOAT)),
    _comp("max_pool2d(Tensor self, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, int[2] dilation=1, "
          "bool ceil_mode=False, bool return_indices=False) -> Tensor", "max_pool2d",
          sample([custom("pool2d_args"), custom("flag")], dtypes=FLOAT, invalid=_POOL_INVALID), ns=_F + ("torch",)),
    _comp("max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, "
          "int[1] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)", "max_pool1d_with_indices",
          sample([custom("pool1d_args")], dtypes=FLOAT)),
    _comp("max_pool1d(Tensor self, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, int[1] dilation=1, "
          "bool ceil_mode=False, bool return_indices=False) -> Tensor", "max_pool1d",
          sample([custom("pool1d_args"), custom("flag")], dtypes=FLOAT, invalid=[call(tensor(shape=(2,)), 2)]),
          ns=_F + ("torch",)),
    _comp("adaptive_max_pool2d(Tensor self, Any output_size, bool return_indices=False) -> Tensor",
          "adaptive_max_pool2d", sample([tensor(ndim=(3, 4), min_size=1), custom("adaptive_size2"),
                                         custom("flag")], dtypes=FLOAT)),
    _comp("adaptive_max_pool1d(Tensor self, Any output_size, bool return_indices=False) -> Tensor",
          "adaptive_max_pool1d", sample([tensor(ndim=(2, 3), min_size=1), custom("adaptive_size1"),
                                         custom("flag")], dtypes=FLOAT), ns=_F + ("torch",)),
    _comp("avg_pool2d(Tensor self, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, bool ceil_mode=False, "
          "bool count_include_pad=True, int? divisor_override=None) -> Tensor", "avg_pool2d",
          sample([custom("avg_pool2d_args")], dtypes=FLOAT, invalid=_POOL_INVALID)),
    _comp("avg_pool1d(Tensor self, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, bool ceil_mode=False, "
          "bool count_include_pad=True) -> Tensor", "avg_pool1d",
          sample([custom("avg_pool1d_args")], dtypes=FLOAT, invalid=[call(tensor(shape=(2,)), 2)]),
          ns=_F + ("torch",)),
    _comp("adaptive_avg_pool2d(Tensor self, Any output_size) -> Tensor", "adaptive_avg_pool2d",
          sample([tensor(ndim=(3, 4), min_size=1), custom("adaptive_size2")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), (2, 2))])),
    _comp("adaptive_avg_pool1d(Tensor self, Any output_size) -> Tensor", "adaptive_avg_pool1d",
          sample([tensor(ndim=(2, 3), min_size=1), custom("adaptive_size1")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2,)), 2)]), ns=_F + ("torch",)),
    _comp("lp_pool2d(Tensor self, float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False) -> Tensor",
          "lp_pool2d", sample([tensor(shape=(1, 2, 4, 4), low=0.1, high=2), custom("lp_args2")], dtypes=FLOAT)),
    _comp("lp_pool1d(Tensor self, float norm_type, Any kernel_size, Any stride=None, bool ceil_mode=False) -> Tensor",
          "lp_pool1d", sample([tensor(shape=(2, 2, 5), low=0.1, high=2), custom("lp_args1")], dtypes=FLOAT)),
    # F.unfold cannot be served under its own name yet: the table keys entries by name and
    # `unfold` is Tensor.unfold's entry; im2col is its aten op.
    op("im2col(Tensor self, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride) -> Tensor",
       composite=composites.im2col, variants=(), promote="none",
       samples=sample([custom("im2col_args")], dtypes=FLOAT)),
    _comp("fold(Tensor self, SymInt[2] output_size, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, "
          "int[2] stride=1) -> Tensor", "col2im", sample([custom("col2im_args")], dtypes=FLOAT)),
    # aten ops with no Python namespace: F.max_unpool1d/2d/3d are argument glue over them
    op("max_unpool2d(Tensor self, Tensor indices, SymInt[2] output_size) -> Tensor",
       composite=composites.max_unpool2d, variants=(), namespaces=(), promote="none",
       samples=sample([custom("max_unpool2d_args")], dtypes=FLOAT)),
    op("max_unpool3d(Tensor self, Tensor indices, SymInt[3] output_size, int[3] stride, int[3] padding) -> Tensor",
       composite=composites.max_unpool3d, variants=(), namespaces=(), promote="none",
       samples=sample([custom("max_unpool3d_args")], dtypes=FLOAT)),
]
