"""Backward of the fused RNN cell ops (lstm_cell, gru_cell, rnn_tanh_cell, rnn_relu_cell).

Every input's formula needs the same gate gradients. A backward node evaluates its
formulas one after the other with the same `grads` list and the same saved tensors, so
the gate gradients are computed once per node and reused. Outside create_graph they come
from ATen's decomposition: gates recomputed with linear, then the fused gate-level op
`_thnn_differentiable_{lstm,gru}_cell_backward` (one NumPy call); then one mm per input.
Under create_graph the gate gradients are spelt out in differentiable table ops, so
double backward works."""
from ops_table.common.provided import get as _get

_memo = [None, None]  # [the objects the gate gradients were computed from, the gradients]


def _T():
    T = _get("T")
    return T


def rnn_cell_grad(kind, which, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh):
    """The gradient of a cell op (`kind`: lstm, gru, rnn_tanh, rnn_relu) for its argument
    `which`; `results` are the op's outputs (hy, cy for LSTM)."""
    T = _T()
    gi, gh, direct, gb_ih, gb_hh = _gate_grads(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh)
    if which == "input":
        return T.mm(gi, w_ih)
    if which == "w_ih":
        return T.mm(gi.t(), input)
    if which == "w_hh":
        return T.mm(gh.t(), hx[0] if kind == "lstm" else hx)
    if which == "b_ih":
        return gb_ih
    if which == "b_hh":
        return gb_hh
    dh = T.mm(gh, w_hh)
    if kind == "lstm":
        return [dh, direct]
    return dh if direct is None else dh + direct


def _gate_grads(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh):
    """(grad of the input gates, grad of the hidden gates, grad reaching the state directly
    (c for LSTM, h for GRU), grad of b_ih, grad of b_hh)."""
    key = (kind, grads, *grads, *results, input, *(hx if kind == "lstm" else (hx,)), w_ih, w_hh, b_ih, b_hh)
    old = _memo[0]
    if old is not None and len(old) == len(key) and all(a is b for a, b in zip(old, key)):
        return _memo[1]
    if kind in ("rnn_tanh", "rnn_relu"):
        got = _simple(kind, grads[0], results[0], b_ih)
    elif _get("grad_mode").is_enabled():
        got = _differentiable(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh)
    else:
        got = _fused(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh)
    _memo[0], _memo[1] = key, got
    return got


def _simple(kind, grad, y, b_ih):
    g = grad * (1 - y * y) if kind == "rnn_tanh" else grad * (y > 0).to(grad.dtype)
    gb = g.sum(0) if b_ih is not None else None
    return g, g, None, gb, gb


def _fused(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh):
    T = _T()
    h = hx[0] if kind == "lstm" else hx
    # linear, not mm with w.t(): a transposed view costs a copy on its way to the kernel.
    ig = T.linear(input, w_ih)
    hg = T.linear(h, w_hh)
    if kind == "lstm":
        gg, gg2, gcx, gb, gb2 = T._thnn_differentiable_lstm_cell_backward(grads[0], grads[1], ig, hg, b_ih, b_hh,
                                                                          hx[1], results[1])
        return gg, gg2, gcx, gb, gb2
    return T._thnn_differentiable_gru_cell_backward(grads[0], ig, hg, hx, b_ih, b_hh)


def _differentiable(kind, grads, results, input, hx, w_ih, w_hh, b_ih, b_hh):
    """The same gradients as `_fused`, written with differentiable table ops."""
    T = _T()
    if kind == "lstm":
        h, cx = hx
        gates = T.linear(h, w_hh, b_hh) + T.linear(input, w_ih, b_ih)
        i, f, g, o = gates.chunk(4, 1)
        i, f, g, o = T.sigmoid(i), T.sigmoid(f), T.tanh(g), T.sigmoid(o)
        tcy = T.tanh(results[1])
        ghy, gcy = grads
        gog = ghy * tcy * (1 - o) * o
        gcx = ghy * o * (1 - tcy * tcy) + gcy
        gig = gcx * g * (1 - i) * i
        gfg = gcx * cx * (1 - f) * f
        gcg = gcx * i * (1 - g * g)
        gates_grad = T.cat([gig, gfg, gcg, gog], 1)
        gb = gates_grad.sum(0) if b_ih is not None else None
        return gates_grad, gates_grad, gcx * f, gb, gb
    ig = T.linear(input, w_ih, b_ih)
    hg = T.linear(hx, w_hh, b_hh)
    i_r, i_z, i_n = ig.chunk(3, 1)
    h_r, h_z, h_n = hg.chunk(3, 1)
    r = T.sigmoid(i_r + h_r)
    z = T.sigmoid(i_z + h_z)
    n = T.tanh(i_n + r * h_n)
    ghy = grads[0]
    gz = ghy * (hx - n) * (1 - z) * z
    gn = ghy * (1 - z) * (1 - n * n)
    gr = gn * h_n * (1 - r) * r
    gi = T.cat([gr, gz, gn], 1)
    gh = T.cat([gr, gz, gn * r], 1)
    has_bias = b_ih is not None
    return gi, gh, ghy * z, gi.sum(0) if has_bias else None, gh.sum(0) if has_bias else None
