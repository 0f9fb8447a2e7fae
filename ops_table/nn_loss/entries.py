"""torch.nn.functional losses: composites of table ops (autograd through their parts), and
ATen's nll_loss_forward/backward, which nll_loss and cross_entropy use for class targets of
at most two dims (one MindSpore kernel each way instead of a one-hot composite)."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, sample, tensor
from . import composites, host, ms


F = ("torch.nn.functional",)
_RED = {"reduction": choice("mean", "sum", "none")}
_BAD_RED = call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), reduction="avg")


def _loss(schema, fn, args, kwargs=None, invalid=(_BAD_RED,), low=-5, high=5):
    kw = dict(_RED)
    kw.update(kwargs or {})
    return op(schema, composite=getattr(composites, fn),
              variants=("function",), namespaces=F, promote="none",
              samples=sample(args, kwargs=kw, dtypes=FLOAT, invalid=list(invalid), low=low, high=high))


def _comp(schema, fn, samples):
    """A loss whose samples need coupled arguments (targets, lengths)."""
    return op(schema, composite=getattr(composites, fn), variants=("function",), namespaces=F, promote="none",
              samples=samples)


_LEGACY = "bool? size_average=None, bool? reduce=None, str reduction='mean'"
_PAIR = [tensor(), tensor()]

ENTRIES = [
    _loss(f"mse_loss(Tensor input, Tensor target, {_LEGACY}, Tensor? weight=None) -> Tensor", "mse_loss", _PAIR,
          invalid=(_BAD_RED, call(tensor(shape=(2, 3)), tensor(shape=(4, 3))))),
    _loss(f"l1_loss(Tensor input, Tensor target, {_LEGACY}, Tensor? weight=None) -> Tensor", "l1_loss", _PAIR),
    _loss(f"smooth_l1_loss(Tensor input, Tensor target, {_LEGACY}, float beta=1.0) -> Tensor", "smooth_l1_loss",
          _PAIR, {"beta": choice(1.0, 0.5, 0.0)}),
    _loss("huber_loss(Tensor input, Tensor target, str reduction='mean', float delta=1.0, Tensor? weight=None) "
          "-> Tensor", "huber_loss", _PAIR, {"delta": choice(1.0, 2.5)}),
    _loss("nll_loss(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, "
          "int ignore_index=-100, bool? reduce=None, str reduction='mean') -> Tensor", "nll_loss",
          [custom("nll_args")], {"ignore_index": choice(-100, 1)},
          invalid=(call(tensor(shape=(3, 4)), tensor(shape=(2,), dtype="int64", low=0, high=3)),
                   call(tensor(shape=(3, 4)), tensor(shape=(3,), dtype="int64", low=5, high=6)))),
    _loss("cross_entropy(Tensor input, Tensor target, Tensor? weight=None, bool? size_average=None, "
          "int ignore_index=-100, bool? reduce=None, str reduction='mean', float label_smoothing=0.0) -> Tensor",
          "cross_entropy", [custom("cross_entropy_args")],
          {"ignore_index": choice(-100, 1), "label_smoothing": choice(0.0, 0.2)},
          invalid=(call(tensor(shape=(3, 4)), tensor(shape=(2,), dtype="int64", low=0, high=3)),
                   call(tensor(shape=(3, 4)), tensor(shape=(3,), dtype="int64", low=0, high=3),
                        reduction="avg"))),
    _loss(f"binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, {_LEGACY}) -> Tensor",
          "binary_cross_entropy", [tensor(low=0.02, high=0.98), tensor(low=0, high=1)],
          invalid=(call(tensor(shape=(2, 3), low=0.1, high=0.9), tensor(shape=(3, 2), low=0, high=1)),
                   call(tensor(shape=(2, 3), low=2, high=3), tensor(shape=(2, 3), low=0, high=1)))),
    _loss(f"binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, {_LEGACY}, "
          "Tensor? pos_weight=None) -> Tensor", "binary_cross_entropy_with_logits",
          [tensor(), tensor(low=0, high=1), custom("optional_same_shape")], {"pos_weight": custom("pos_weight")},
          invalid=(call(tensor(shape=(2, 3)), tensor(shape=(3, 2))),)),
    _loss(f"kl_div(Tensor input, Tensor target, {_LEGACY}, bool log_target=False) -> Tensor", "kl_div",
          [tensor(low=-4, high=0), custom("kl_target")], {"reduction": choice("sum", "none", "batchmean")}),
    _loss(f"soft_margin_loss(Tensor input, Tensor target, {_LEGACY}) -> Tensor", "soft_margin_loss",
          [tensor(), custom("sign_like_0")]),
    _loss(f"margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0, {_LEGACY}) -> Tensor",
          "margin_ranking_loss", [tensor(), tensor(), custom("sign_like_0")], {"margin": choice(0.0, 0.5)},
          invalid=(call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(3,))),)),
    _loss(f"hinge_embedding_loss(Tensor input, Tensor target, float margin=1.0, {_LEGACY}) -> Tensor",
          "hinge_embedding_loss", [tensor(), custom("sign_like_0")], {"margin": choice(1.0, 2.0)}),
    _loss(f"cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0, {_LEGACY}) "
          "-> Tensor", "cosine_embedding_loss", [custom("cosine_embedding_args")], {"margin": choice(0.0, 0.3)},
          invalid=(call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(2, 3))),)),
    _loss("poisson_nll_loss(Tensor input, Tensor target, bool log_input=True, bool full=False, "
          "bool? size_average=None, float eps=1e-08, bool? reduce=None, str reduction='mean') -> Tensor",
          "poisson_nll_loss", [custom("poisson_args")], {"full": choice(False, True)}),
    _loss("gaussian_nll_loss(Tensor input, Tensor target, Tensor var, bool full=False, float eps=1e-06, "
          "str reduction='mean') -> Tensor", "gaussian_nll_loss", [tensor(), tensor(), custom("gaussian_var")],
          {"full": choice(False, True)},
          invalid=(call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(3, 2), low=0.1, high=1)),
                   call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(2, 3), low=-2, high=-1)))),
    _loss(f"triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1.0, float p=2, "
          f"float eps=1e-06, bool swap=False, {_LEGACY}) -> Tensor", "triplet_margin_loss",
          [tensor(ndim=(1, 2), min_size=1), tensor(), tensor()],
          {"margin": choice(1.0, 0.5), "p": choice(2.0, 1.0), "swap": choice(False, True)},
          invalid=(call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(3,))),)),
    _loss(f"multilabel_soft_margin_loss(Tensor input, Tensor target, Tensor? weight=None, {_LEGACY}) -> Tensor",
          "multilabel_soft_margin_loss", [tensor(ndim=(2, 2)), custom("binary_like_0")]),
    op("nll_loss_forward(Tensor self, Tensor target, Tensor? weight, int reduction, int ignore_index) "
       "-> (Tensor output, Tensor total_weight)",
       kernels={"default": ms.nll_loss_forward, "host": host.nll_loss_forward}, variants=(), promote="none", nondiff_outputs=(1,),
       backward={"self": "T.nll_loss_backward(grads[0], self, target, weight, reduction, ignore_index, "
                         "results[1].detach())"},
       samples=sample([custom("nll_forward_args")], dtypes=FLOAT)),
    op("nll_loss_backward(Tensor grad_output, Tensor self, Tensor target, Tensor? weight, int reduction, "
       "int ignore_index, Tensor total_weight) -> Tensor",
       kernels={"default": ms.nll_loss_backward, "host": host.nll_loss_backward}, variants=(), promote="none",
       backward={"grad_output": "T.nll_loss_forward(grad, target, weight, reduction, ignore_index)[0]",
                 "self": "T.zeros_like(self)"},
       samples=sample([custom("nll_backward_args")], dtypes=FLOAT)),
    _comp(["ctc_loss.IntList(Tensor log_probs, Tensor targets, int[] input_lengths, int[] target_lengths, "
           "int blank=0, str reduction='mean', bool zero_infinity=False) -> Tensor",
           "ctc_loss.Tensor(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, "
           "int blank=0, str reduction='mean', bool zero_infinity=False) -> Tensor"],
          # The gradient is compared through log_softmax in tests/nn/test_functional_entries.py: PyTorch's
          # analytic CTC gradient is the logits' (it assumes normalised log_probs), not log_probs' own.
          "ctc_loss", sample([custom("ctc_args")], kwargs={"reduction": choice("mean", "sum", "none"),
                                                           "zero_infinity": choice(False, True)},
                             dtypes=FLOAT, grad=False, atol=1e-4, rtol=1e-4)),
    _comp(f"multi_margin_loss(Tensor input, Tensor target, Scalar p=1, Scalar margin=1, Tensor? weight=None, "
          f"{_LEGACY}) -> Tensor", "multi_margin_loss",
          sample([custom("multi_margin_args")], kwargs={"p": choice(1, 2), "margin": choice(1.0, 0.5),
                                                        "reduction": choice("mean", "sum", "none")},
                 dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2,), dtype="int64", low=0,
                                                                            high=3), 3)])),
    _comp(f"multilabel_margin_loss(Tensor input, Tensor target, {_LEGACY}) -> Tensor",
          "multilabel_margin_loss",
          sample([custom("multilabel_margin_args")], kwargs={"reduction": choice("mean", "sum", "none")},
                 dtypes=FLOAT)),
]
