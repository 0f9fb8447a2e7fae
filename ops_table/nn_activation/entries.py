"""torch.nn.functional activations, softmax family, linear/bilinear, distances, one_hot, embedding.

F functions that take `inplace=` are composites (see ops_table/nn_activation/composites.py for why);
the rest run one kernel with a backward formula."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, dim, sample, tensor
from . import composites, host, ms

F = ("torch.nn.functional",)


def _comp(schema, fn, samples, ns=F, variants=("function",)):
    return op(schema, composite=getattr(composites, fn), variants=variants,
              namespaces=ns, promote="none", samples=samples)


def _kern(schema, fn, backward, samples, ns=F, variants=("function",), promote="same", check=None, ascend=None):
    kernels = {"default": getattr(ms, fn), "host": getattr(host, fn)}
    if ascend:
        kernels["ascend"] = [ascend, getattr(ms, fn)]
    return op(schema, kernels=kernels, variants=variants, namespaces=ns, promote=promote, backward=backward,
              samples=samples, check=check)


_INT_INPUT = call(tensor(shape=(2, 3), dtype="int64"))
_INPLACE = {"inplace": choice(False, True)}


def _act(schema, fn, kwargs=None, ns=F, low=-5, high=5, invalid=(_INT_INPUT,)):
    kw = dict(_INPLACE)
    kw.update(kwargs or {})
    return _comp(schema, fn, sample([tensor()], kwargs=kw, dtypes=FLOAT, low=low, high=high, invalid=list(invalid)),
                 ns=ns)


def _act_(schema, fn, kwargs=None, ns=F):
    # In-place on a leaf that requires grad is an error in torch too, so there is no gradient to compare.
    return _comp(schema, fn, sample([tensor()], kwargs=kwargs or {}, dtypes=FLOAT, grad=False), ns=ns)


ENTRIES = [
    _act("leaky_relu(Tensor input, float negative_slope=0.01, bool inplace=False) -> Tensor", "leaky_relu",
         {"negative_slope": choice(0.01, 0.2, -0.5)}),
    _act("elu(Tensor input, float alpha=1.0, bool inplace=False) -> Tensor", "elu", {"alpha": choice(1.0, 0.5)}),
    _act("selu(Tensor input, bool inplace=False) -> Tensor", "selu", ns=F + ("torch",)),
    _act("celu(Tensor input, float alpha=1.0, bool inplace=False) -> Tensor", "celu", {"alpha": choice(1.0, 2.0)},
         ns=F + ("torch",)),
    _act("hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, bool inplace=False) -> Tensor", "hardtanh",
         {"min_val": choice(-1.0, -0.5), "max_val": choice(1.0, 2.5)},
         invalid=(call(tensor(shape=(2, 3)), 2.0, 1.0),)),
    _act("relu6(Tensor input, bool inplace=False) -> Tensor", "relu6", low=-3, high=9, invalid=()),
    _act("threshold(Tensor input, float threshold, float value, bool inplace=False) -> Tensor", "threshold",
         {"threshold": choice(0.5, -1.0), "value": choice(0.0, 7.0)}, ns=F + ("torch",), invalid=()),
    _act("silu(Tensor input, bool inplace=False) -> Tensor", "silu"),
    _act("mish(Tensor input, bool inplace=False) -> Tensor", "mish"),
    _act("hardsigmoid(Tensor input, bool inplace=False) -> Tensor", "hardsigmoid"),
    _act("hardswish(Tensor input, bool inplace=False) -> Tensor", "hardswish"),
    _act("rrelu(Tensor input, float lower=0.125, float upper=0.3333333333333333, bool training=False, "
         "bool inplace=False) -> Tensor", "rrelu", {"lower": choice(0.125, 0.1), "upper": choice(0.3, 1 / 3)},
         ns=F + ("torch",), invalid=()),
    _act_("leaky_relu_(Tensor(a!) input, float negative_slope=0.01) -> Tensor(a!)", "leaky_relu_",
          {"negative_slope": choice(0.01, 0.3)}),
    _act_("elu_(Tensor(a!) input, float alpha=1.0) -> Tensor(a!)", "elu_"),
    _act_("selu_(Tensor(a!) input) -> Tensor(a!)", "selu_", ns=F + ("torch",)),
    _act_("celu_(Tensor(a!) input, float alpha=1.0) -> Tensor(a!)", "celu_", ns=F + ("torch",)),
    _act_("hardtanh_(Tensor(a!) input, float min_val=-1.0, float max_val=1.0) -> Tensor(a!)", "hardtanh_"),
    _act_("threshold_(Tensor(a!) input, float threshold, float value) -> Tensor(a!)", "threshold_",
          {"threshold": choice(0.5), "value": choice(-2.0)}),
    _act_("rrelu_(Tensor(a!) input, float lower=0.125, float upper=0.3333333333333333, bool training=False) "
          "-> Tensor(a!)", "rrelu_", ns=F + ("torch",)),
    _comp("softsign(Tensor input) -> Tensor", "softsign", sample([tensor()], dtypes=FLOAT)),
    _comp("softshrink(Tensor input, float lambd=0.5) -> Tensor", "softshrink",
          sample([tensor()], kwargs={"lambd": choice(0.5, 1.5, 0.0)}, dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), -1.0)])),
    _comp("hardshrink(Tensor self, float lambd=0.5) -> Tensor", "hardshrink",
          sample([tensor()], kwargs={"lambd": choice(0.5, 1.5)}, dtypes=FLOAT, invalid=[_INT_INPUT]),
          ns=F + ("torch",), variants=("function", "method")),
    _comp("tanhshrink(Tensor input) -> Tensor", "tanhshrink", sample([tensor()], dtypes=FLOAT)),
    _comp("glu(Tensor input, int dim=-1) -> Tensor", "glu",
          sample([custom("glu_input")], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), -1)])),
    _comp("prelu(Tensor self, Tensor weight) -> Tensor", "prelu",
          sample([custom("prelu_args")], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2,)))]),
          ns=F + ("torch",), variants=("function", "method")),
    _comp("softmin(Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None) -> Tensor", "softmin",
          sample([tensor(), dim(0)], kwargs={"dtype": choice(None)}, dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), 2)])),
    _kern(["softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
           "softmax.F(Tensor self, int? dim=None, int _stacklevel=3, ScalarType? dtype=None) -> Tensor"], "softmax",
          {"self": "softmax_grad(grad, result, dim, self)"},
          sample([tensor(), dim(0)], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), 2)]),
          ns=F + ("torch",), variants=("function", "method"), ascend="mint:softmax"),
    _kern(["log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
           "log_softmax.F(Tensor self, int? dim=None, int _stacklevel=3, ScalarType? dtype=None) -> Tensor"],
          "log_softmax", {"self": "log_softmax_grad(grad, result, dim, self)"},
          sample([tensor(), dim(0)], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), 2)]),
          ns=F + ("torch",), variants=("function", "method"), ascend="mint:nn.functional.log_softmax"),
    _kern("softplus(Tensor input, Scalar beta=1, Scalar threshold=20) -> Tensor", "softplus",
          {"input": "grad * T.where(input * beta > threshold, T.ones_like(input), T.sigmoid(input * beta))"},
          sample([tensor(low=-30, high=30)], kwargs={"beta": choice(1, 2, 0.5), "threshold": choice(20, 1)},
                 dtypes=FLOAT, invalid=[_INT_INPUT])),
    _kern("logsigmoid(Tensor input) -> Tensor", "logsigmoid", {"input": "grad * T.sigmoid(-input)"},
          sample([tensor(low=-30, high=30)], dtypes=FLOAT, invalid=[_INT_INPUT])),
    _kern("gelu(Tensor input, *, str approximate='none') -> Tensor", "gelu",
          {"input": "T.gelu_backward(grad, input, approximate=approximate)"},
          sample([tensor()], kwargs={"approximate": choice("none", "tanh")}, dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), approximate="fast")])),
    _kern("gelu_backward(Tensor grad_output, Tensor self, *, str approximate='none') -> Tensor", "gelu_backward",
          {"grad_output": "T.gelu_backward(grad, self, approximate=approximate)",
           "self": "grad * grad_output * gelu_second(self, approximate)"},
          sample([tensor(), tensor()], kwargs={"approximate": choice("none", "tanh")}, dtypes=FLOAT),
          ns=(), variants=()),
    _kern("linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor", "linear",
          {"input": "linear_input_grad(grad, weight)", "weight": "linear_weight_grad(grad, input, weight)",
           "bias": "sum_to(grad, bias.shape)"},
          sample([custom("linear_args")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4, 2)))])),
    _comp("bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None) -> Tensor", "bilinear",
          sample([custom("bilinear_args")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 4)), tensor(shape=(5, 3, 3)))]),
          ns=F + ("torch",)),
    _comp("normalize(Tensor input, float p=2.0, int dim=1, float eps=1e-12, Tensor? out=None) -> Tensor",
          "normalize", sample([tensor(ndim=(1, 3)), choice(2.0, 1.0, 3.0), dim(0)], kwargs={"eps": choice(1e-12)},
                              dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), 2.0, 3)])),
    _comp("cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor", "cosine_similarity",
          sample([tensor(ndim=(1, 3), min_size=1), tensor(bcast=True), dim(0)], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4, 3)))]), ns=F + ("torch",)),
    _comp("pairwise_distance(Tensor x1, Tensor x2, float p=2.0, float eps=1e-06, bool keepdim=False) -> Tensor",
          "pairwise_distance", sample([tensor(ndim=(1, 2), min_size=1), tensor(bcast=True), choice(2.0, 1.0, 3.0)],
                                      kwargs={"keepdim": choice(False, True)}, dtypes=FLOAT,
                                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4, 3)))]),
          ns=F + ("torch",)),
    op("one_hot(Tensor tensor, int num_classes=-1) -> Tensor",
       kernels={"default": ms.one_hot, "ascend": ["mint:nn.functional.one_hot",
                                                                                ms.one_hot], "host": host.one_hot},
       variants=("function",), namespaces=F, promote="none", backward="nondiff",
       samples=sample([custom("one_hot_args")], dtypes=("int64",), grad=False,
                      invalid=[call(tensor(shape=(2, 3), dtype="float32")),
                               call(tensor(shape=(2, 3), dtype="int64", low=0, high=4), 2)])),
    op("embedding_dense_backward(Tensor grad_output, Tensor indices, SymInt num_weights, SymInt padding_idx, "
       "bool scale_grad_by_freq) -> Tensor",
       kernels={"default": ms.embedding_dense_backward, "host": host.embedding_dense_backward},
       variants=(), namespaces=(), promote="none",
       backward={"grad_output": "embedding_dense_double(grad, indices, padding_idx, scale_grad_by_freq)"},
       samples=sample([custom("embedding_backward_args")], dtypes=FLOAT)),
    op("embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, "
       "bool sparse=False) -> Tensor",
       kernels={"default": ms.embedding, "host": host.embedding},
       variants=("function",), namespaces=("torch",), promote="none",
       backward={"weight": "T.embedding_dense_backward(grad, indices, weight.shape[0], padding_idx, "
                           "scale_grad_by_freq)"},
       samples=sample([custom("embedding_lookup_args")], kwargs={"scale_grad_by_freq": choice(False, True)},
                      dtypes=FLOAT,
                      invalid=[call(tensor(shape=(4, 3)), tensor(shape=(2,), dtype="float32")),
                               call(tensor(shape=(4, 3)), tensor(shape=(2,), dtype="int64", low=5, high=6)),
                               call(tensor(shape=(4,)), tensor(shape=(2,), dtype="int64", low=0, high=3))])),
    _comp("embedding_renorm_(Tensor(a!) self, Tensor indices, float max_norm, float norm_type) -> Tensor(a!)",
          "embedding_renorm_", sample([custom("embedding_renorm_args")], dtypes=FLOAT, grad=False),
          ns=("torch",)),
]
