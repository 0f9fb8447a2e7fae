"""torch.nn.functional ops that mstorch used to write as Python outside the table: the embedding
lookup and its max_norm renormalisation, rms_norm, ctc_loss, the margin losses, the upsample
and max_unpool kernels behind F.interpolate and F.max_unpool*d, and scaled_dot_product_attention.

F.embedding, F.interpolate and friends stay Python argument glue over these entries, as they
are in PyTorch (mstorch/impl/torch/nn/functional*.py)."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, sample, tensor
from . import composites, host, ms

F = ("torch.nn.functional",)


def _composite(schema, fn, samples, ns=F, variants=("function",)):
    return op(schema, composite=getattr(composites, fn), variants=variants,
              namespaces=ns, promote="none", samples=samples)


def _upsample(name, nd, linear):
    """The aten upsample kernels F.interpolate calls (one per mode and rank, as in PyTorch)."""
    scales = ", ".join(f"float? scales{s}=None" for s in (("",) if nd == 1 else ("_d", "_h", "_w")[3 - nd:]))
    corners = "bool align_corners, " if linear else ""
    schema = f"{name}(Tensor self, SymInt[{nd}] output_size, {corners}{scales}) -> Tensor"
    return _composite(schema, name, sample([custom(f"upsample_args_{nd}d_{'linear' if linear else 'nearest'}")],
                                           dtypes=FLOAT, atol=1e-5, rtol=1e-5), ns=(), variants=())


_LEGACY = "bool? size_average=None, bool? reduce=None, str reduction='mean'"

ENTRIES = [
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
    _composite("embedding_renorm_(Tensor(a!) self, Tensor indices, float max_norm, float norm_type) -> Tensor(a!)",
               "embedding_renorm_", sample([custom("embedding_renorm_args")], dtypes=FLOAT, grad=False),
               ns=("torch",)),
    _composite("rms_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, float? eps=None) -> Tensor",
               "rms_norm", sample([custom("rms_norm_args")], kwargs={"eps": choice(None, 1e-5, 0.1)}, dtypes=FLOAT,
                                  invalid=[call(tensor(shape=(2, 3)), (2,)),
                                           call(tensor(shape=(2, 3)), (3,), tensor(shape=(2,)))]),
               ns=F + ("torch",)),
    _composite(["ctc_loss.IntList(Tensor log_probs, Tensor targets, int[] input_lengths, int[] target_lengths, "
                "int blank=0, str reduction='mean', bool zero_infinity=False) -> Tensor",
                "ctc_loss.Tensor(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, "
                "int blank=0, str reduction='mean', bool zero_infinity=False) -> Tensor"],
               # The gradient is compared through log_softmax in tests/nn/test_functional_entries.py: PyTorch's
               # analytic CTC gradient is the logits' (it assumes normalised log_probs), not log_probs' own.
               "ctc_loss", sample([custom("ctc_args")], kwargs={"reduction": choice("mean", "sum", "none"),
                                                                "zero_infinity": choice(False, True)},
                                  dtypes=FLOAT, grad=False, atol=1e-4, rtol=1e-4)),
    _composite(f"multi_margin_loss(Tensor input, Tensor target, Scalar p=1, Scalar margin=1, Tensor? weight=None, "
               f"{_LEGACY}) -> Tensor", "multi_margin_loss",
               sample([custom("multi_margin_args")], kwargs={"p": choice(1, 2), "margin": choice(1.0, 0.5),
                                                             "reduction": choice("mean", "sum", "none")},
                      dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2,), dtype="int64", low=0,
                                                                                 high=3), 3)])),
    _composite(f"multilabel_margin_loss(Tensor input, Tensor target, {_LEGACY}) -> Tensor",
               "multilabel_margin_loss",
               sample([custom("multilabel_margin_args")], kwargs={"reduction": choice("mean", "sum", "none")},
                      dtypes=FLOAT)),
    _composite("scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
               "float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor",
               "scaled_dot_product_attention",
               sample([custom("sdpa_args")], kwargs={"scale": choice(None, 0.5), "enable_gqa": choice(False, True)},
                      dtypes=FLOAT, atol=1e-5, rtol=1e-5,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(2, 3)),
                                    tensor(shape=(2, 2)), is_causal=True)])),
    _composite("max_unpool2d(Tensor self, Tensor indices, SymInt[2] output_size) -> Tensor", "max_unpool2d",
               sample([custom("max_unpool2d_args")], dtypes=FLOAT), ns=(), variants=()),
    _composite("max_unpool3d(Tensor self, Tensor indices, SymInt[3] output_size, int[3] stride, int[3] padding) "
               "-> Tensor", "max_unpool3d", sample([custom("max_unpool3d_args")], dtypes=FLOAT), ns=(), variants=()),
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
