"""NumPy kernels for the fused RNN cell ops (lstm_cell, gru_cell, rnn_*_cell) and the
gate-level LSTM/GRU backward ops.

A recurrent step is a handful of small matmuls and pointwise ops: as separate MindSpore
kernels each costs a dispatch (tens of microseconds) and MindSpore's float64 MatMul is
several times slower than NumPy's BLAS on these shapes (bench/rnn_step.py). One NumPy
call per step does the whole cell. The arithmetic follows ATen's CPU cells
(aten/src/ATen/native/RNN.cpp): gates = (b_hh + hx @ w_hh^T) + (b_ih + input @ w_ih^T),
chunks in the order i, f, g, o (LSTM) / r, z, n (GRU).

The `*_ms` variants are the cpu column: they read MindSpore arrays through NumPy views
(no copy, also for strided views) and hand results back as MindSpore arrays sharing the
NumPy memory."""
import numpy as np

from ops_table.common._ms import from_host, host_array


def _sigmoid(x):
    # In place on a fresh temporary: 1 / (1 + exp(-x)), as ATen's vectorised sigmoid.
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += 1
    np.reciprocal(x, out=x)
    return x


def _linear(x, w, b):
    y = x @ w.T
    if b is not None:
        y = b + y
    return y


def _check_cell(name, input, hx_list, w_ih, w_hh, b_ih, b_hh, gates):
    dt = input.dtype
    for t in hx_list + [w_ih, w_hh] + [b for b in (b_ih, b_hh) if b is not None]:
        if t.dtype != dt:
            raise RuntimeError(f"{name}: expected all arguments to have dtype {dt}, got {t.dtype}")
    if input.ndim > 2:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {w_ih.shape[1]}")
    if input.ndim < 2:
        # ATen's cells take batched input only (the nn.*Cell modules add the batch dim).
        raise IndexError(f"Dimension out of range (expected to be in range of [-{max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got 1)")
    if input.shape[-1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected {w_ih.shape[1]}")
    for k, h in enumerate(hx_list):
        if h.ndim != 2 or h.shape[0] != input.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                               f"{h.shape[0] if h.ndim else 0}")
        if h.shape[-1] * gates != w_hh.shape[0] or h.shape[-1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.shape[-1]}, expected "
                               f"{w_hh.shape[1]}")
    for b in (b_ih, b_hh):
        if b is not None and b.shape != (w_ih.shape[0],):
            raise RuntimeError(f"The expanded size of the tensor ({w_ih.shape[0]}) must match the existing size "
                               f"({b.shape[-1] if b.ndim else 1}) at non-singleton dimension 1.")


def lstm_cell(input, hx, w_ih, w_hh, b_ih, b_hh):
    if len(hx) != 2:
        raise RuntimeError("lstm_cell expects two hidden states")
    h, c = hx
    _check_cell("lstm_cell", input, [h, c], w_ih, w_hh, b_ih, b_hh, 4)
    gates = _linear(h, w_hh, b_hh)
    gates += _linear(input, w_ih, b_ih)
    i, f, g, o = np.split(gates, 4, axis=-1)
    _sigmoid(i)
    _sigmoid(f)
    np.tanh(g, out=g)
    _sigmoid(o)
    cy = f * c
    cy += i * g
    hy = np.tanh(cy)
    hy *= o
    return hy, cy


def gru_cell(input, hx, w_ih, w_hh, b_ih, b_hh):
    _check_cell("gru_cell", input, [hx], w_ih, w_hh, b_ih, b_hh, 3)
    ig = _linear(input, w_ih, b_ih)
    hg = _linear(hx, w_hh, b_hh)
    i_r, i_z, i_n = np.split(ig, 3, axis=-1)
    h_r, h_z, h_n = np.split(hg, 3, axis=-1)
    r = _sigmoid(h_r + i_r)
    z = _sigmoid(h_z + i_z)
    n = np.tanh(i_n + h_n * r)
    hy = hx - n
    hy *= z
    hy += n
    return hy


def _rnn_cell(act):
    def cell(input, hx, w_ih, w_hh, b_ih, b_hh):
        _check_cell(f"rnn_{act}_cell", input, [hx], w_ih, w_hh, b_ih, b_hh, 1)
        y = _linear(hx, w_hh, b_hh)
        y += _linear(input, w_ih, b_ih)
        return np.tanh(y, out=y) if act == "tanh" else np.maximum(y, 0, out=y)
    return cell


rnn_tanh_cell = _rnn_cell("tanh")
rnn_relu_cell = _rnn_cell("relu")


def lstm_cell_backward(grad_hy, grad_cy, input_gates, hidden_gates, input_bias, hidden_bias, cx, cy):
    """ATen's _thnn_differentiable_lstm_cell_backward: (grad_gates, grad_gates, grad_cx,
    grad_bias, grad_bias), the bias grads absent without biases."""
    if grad_hy is None and grad_cy is None:
        return None, None, None, None, None
    gates = input_gates + hidden_gates
    if input_bias is not None:
        gates = gates + input_bias
    if hidden_bias is not None:
        gates = gates + hidden_bias
    i, f, g, o = (np.array(p) for p in np.split(gates, 4, axis=-1))
    _sigmoid(i)
    _sigmoid(f)
    np.tanh(g, out=g)
    _sigmoid(o)
    tcy = np.tanh(cy)
    if grad_hy is not None:
        gog = grad_hy * tcy * (1 - o) * o
        gcx = grad_hy * o * (1 - tcy * tcy)
        if grad_cy is not None:
            gcx = gcx + grad_cy
    else:
        gog = np.zeros_like(cx)
        gcx = grad_cy
    gig = gcx * g * (1 - i) * i
    gfg = gcx * cx * (1 - f) * f
    gcg = gcx * i * (1 - g * g)
    grad_gates = np.concatenate([gig, gfg, gcg, gog], axis=-1)
    grad_bias = grad_gates.sum(0) if input_bias is not None else None
    return grad_gates, grad_gates.copy(), gcx * f, grad_bias, None if grad_bias is None else grad_bias.copy()


def gru_cell_backward(grad_hy, input_gates, hidden_gates, hx, input_bias, hidden_bias):
    """ATen's _thnn_differentiable_gru_cell_backward: (grad_input_gates,
    grad_hidden_gates, grad_hx, grad_input_bias, grad_hidden_bias)."""
    in_g, hid_g = input_gates, hidden_gates
    if input_bias is not None:
        in_g = in_g + input_bias
    if hidden_bias is not None:
        hid_g = hid_g + hidden_bias
    i_r, i_z, i_n = np.split(in_g, 3, axis=-1)
    h_r, h_z, h_n = np.split(hid_g, 3, axis=-1)
    r = _sigmoid(i_r + h_r)
    z = _sigmoid(i_z + h_z)
    n = np.tanh(i_n + r * h_n)
    grad_hx = grad_hy * z
    gz = grad_hy * (hx - n) * (1 - z) * z
    gn = grad_hy * (1 - z) * (1 - n * n)
    gr = gn * h_n * (1 - r) * r
    grad_input_gates = np.concatenate([gr, gz, gn], axis=-1)
    grad_hidden_gates = np.concatenate([gr, gz, gn * r], axis=-1)
    gib = grad_input_gates.sum(0) if input_bias is not None else None
    ghb = grad_hidden_gates.sum(0) if input_bias is not None else None
    return grad_input_gates, grad_hidden_gates, grad_hx, gib, ghb


# --- the cpu column: MindSpore arrays in and out ---------------------------------------

def _host(a):
    if a is None:
        return None
    if isinstance(a, list):
        return [_host(x) for x in a]
    return host_array(a)


def _back(r):
    if r is None:
        return None
    if isinstance(r, tuple):
        return tuple(_back(x) for x in r)
    return from_host(r)


def _on_ms(fn):
    def run(*args):
        return _back(fn(*(_host(a) if not isinstance(a, (bool, int, float)) else a for a in args)))
    run.__name__ = fn.__name__ + "_ms"
    return run


lstm_cell_ms = _on_ms(lstm_cell)
gru_cell_ms = _on_ms(gru_cell)
rnn_tanh_cell_ms = _on_ms(rnn_tanh_cell)
rnn_relu_cell_ms = _on_ms(rnn_relu_cell)
lstm_cell_backward_ms = _on_ms(lstm_cell_backward)
gru_cell_backward_ms = _on_ms(gru_cell_backward)
