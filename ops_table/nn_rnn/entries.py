"""Recurrent cells: torch.lstm_cell / gru_cell / rnn_tanh_cell / rnn_relu_cell (what
nn.LSTM/GRU/RNN and their *Cell modules run once per time step) and the gate-level
backward ops ATen decomposes their gradients into.

Each cell is one NumPy kernel (ops_table/nn_rnn/host.py): a step as separate table
ops costs a dozen dispatches forward and two dozen backward. The backward formulas share
one gate-gradient computation per node (ops_table/nn_rnn/backward.py)."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, sample, tensor
from . import host

_B, _IN, _H = 3, 5, 4
_ARGS = "Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None"


def _kernels(fn):
    # The cpu kernel reads MindSpore's host memory directly: no gpu/ascend column.
    return {"cpu": getattr(host, f"{fn}_ms"), "host": getattr(host, fn)}


def _backward(kind, results):
    args = f"grads, {results}, input, hx, w_ih, w_hh, b_ih, b_hh"
    return {name: f"rnn_cell_grad('{kind}', '{name}', {args})"
            for name in ("input", "hx", "w_ih", "w_hh", "b_ih", "b_hh")}


def _cell_sample(gates, hx):
    x = tensor(shape=(_B, _IN))
    weights = [tensor(shape=(gates * _H, _IN)), tensor(shape=(gates * _H, _H)), tensor(shape=(gates * _H,)),
               tensor(shape=(gates * _H,))]
    bad_input = call(tensor(shape=(_B, _IN + 1)), hx, *weights)
    wrong = tensor(shape=(_B + 1, _H))
    bad_batch = call(x, [wrong, wrong] if isinstance(hx, list) else wrong, *weights)
    return sample([x, hx] + weights, dtypes=FLOAT, low=-2, high=2, ndim=(2, 2), method=False,
                  invalid=[bad_input, bad_batch])


def _cell(name, kind, gates, hx_type, results, hx):
    return op(f"{name}(Tensor input, {hx_type} hx, {_ARGS}) -> {'(Tensor, Tensor)' if kind == 'lstm' else 'Tensor'}",
              kernels=_kernels(name), variants=("function",), namespaces=("torch",), promote="none",
              backward=_backward(kind, results), samples=_cell_sample(gates, hx))


def _gates(gates):
    return tensor(shape=(_B, gates * _H))


ENTRIES = [
    _cell("lstm_cell", "lstm", 4, "Tensor[]", "results", [tensor(shape=(_B, _H)), tensor(shape=(_B, _H))]),
    _cell("gru_cell", "gru", 3, "Tensor", "[result]", tensor(shape=(_B, _H))),
    _cell("rnn_tanh_cell", "rnn_tanh", 1, "Tensor", "[result]", tensor(shape=(_B, _H))),
    _cell("rnn_relu_cell", "rnn_relu", 1, "Tensor", "[result]", tensor(shape=(_B, _H))),
    # Gate-level gradients (ATen's CompositeImplicit decomposition of the cells' backward).
    # Their own derivatives are not provided: the cells' formulas use differentiable table
    # ops instead under create_graph.
    op("_thnn_differentiable_lstm_cell_backward(Tensor? grad_hy, Tensor? grad_cy, Tensor input_gates, "
       "Tensor hidden_gates, Tensor? input_bias, Tensor? hidden_bias, Tensor cx, Tensor cy) "
       "-> (Tensor, Tensor, Tensor, Tensor, Tensor)",
       kernels=_kernels("lstm_cell_backward"), variants=(), namespaces=(), promote="none",
       samples=sample([tensor(shape=(_B, _H)), tensor(shape=(_B, _H)), _gates(4), _gates(4),
                       tensor(shape=(4 * _H,)), tensor(shape=(4 * _H,)), tensor(shape=(_B, _H)),
                       tensor(shape=(_B, _H))], dtypes=FLOAT, low=-2, high=2, grad=False)),
    op("_thnn_differentiable_gru_cell_backward(Tensor grad_hy, Tensor input_gates, Tensor hidden_gates, Tensor hx, "
       "Tensor? input_bias, Tensor? hidden_bias) -> (Tensor, Tensor, Tensor, Tensor, Tensor)",
       kernels=_kernels("gru_cell_backward"), variants=(), namespaces=(), promote="none",
       samples=sample([tensor(shape=(_B, _H)), _gates(3), _gates(3), tensor(shape=(_B, _H)),
                       tensor(shape=(3 * _H,)), tensor(shape=(3 * _H,))], dtypes=FLOAT, low=-2, high=2,
                      grad=False)),
]
