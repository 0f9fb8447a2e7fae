"""RNN, LSTM, GRU and their cells.

Each time step is one fused cell op (torch.lstm_cell / gru_cell / rnn_tanh_cell /
rnn_relu_cell, as ATen's CPU RNNs run them): one dispatch forward and a few backward,
instead of a dozen table ops per step. The recurrence runs in Python over the steps of
`x.unbind(0)` (one op, whose backward is one stack). LSTMs with projections, which the
fused cell does not take, run the step as table ops. Layers work time-major internally;
packed sequences are walked with their batch sizes, so finished sequences keep their last
state."""
import math
import numbers
import warnings

from mstorch.impl.torch._ns import F, torch
from mstorch.impl.torch.nn import init
from mstorch.impl.torch.nn.modules.module import Module
from mstorch.impl.torch.nn.parameter import Parameter
from mstorch.impl.torch.nn.utils.rnn import PackedSequence

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


# --- one step of each layer kind: (x_t, h, c, weights) -> (h, c) ------------------------

def _lstm_step(x, h, c, w):
    return torch.lstm_cell(x, [h, c], *w)


def _lstm_proj_step(x, h, c, w):
    w_ih, w_hh, b_ih, b_hh, w_hr = w
    i, f, g, o = (F.linear(h, w_hh, b_hh) + F.linear(x, w_ih, b_ih)).chunk(4, -1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return F.linear(torch.sigmoid(o) * torch.tanh(c), w_hr), c


def _gru_step(x, h, c, w):
    return torch.gru_cell(x, h, *w), None


def _rnn_tanh_step(x, h, c, w):
    return torch.rnn_tanh_cell(x, h, *w), None


def _rnn_relu_step(x, h, c, w):
    return torch.rnn_relu_cell(x, h, *w), None


_STEPS = {"RNN_TANH": _rnn_tanh_step, "RNN_RELU": _rnn_relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


def _run_direction(step, xs, h0, c0, sizes, weights, reverse):
    """Run one direction of one layer over the per-step inputs `xs`. `sizes` is None for
    padded input; for packed data it lists each step's batch size."""
    steps = range(len(xs))
    outs = [None] * len(xs)
    if sizes is None:
        h, c = h0, c0
        for t in (reversed(steps) if reverse else steps):
            h, c = step(xs[t], h, c, weights)
            outs[t] = h
        return outs, h, c
    if reverse:
        # Going backwards, sequences join as their last step comes up, starting from h0.
        n = sizes[-1]
        h, c = h0[:n], (None if c0 is None else c0[:n])
        for t in reversed(steps):
            if sizes[t] > h.size(0):
                h = torch.cat([h, h0[h.size(0):sizes[t]]], 0)
                if c is not None:
                    c = torch.cat([c, c0[c.size(0):sizes[t]]], 0)
            h, c = step(xs[t], h, c, weights)
            outs[t] = h
        return outs, h, c
    # Going forwards, sequences leave when they end; their state at that point is final.
    h, c, done_h, done_c = h0, c0, [], []
    for t in steps:
        bs = sizes[t]
        if bs < h.size(0):
            done_h.append(h[bs:])
            h = h[:bs]
            if c is not None:
                done_c.append(c[bs:])
                c = c[:bs]
        h, c = step(xs[t], h, c, weights)
        outs[t] = h
    if done_h:
        h = torch.cat([h] + done_h[::-1], 0)
        if c is not None:
            c = torch.cat([c] + done_c[::-1], 0)
    return outs, h, c


def _run_layers(module, x, hx, cx, sizes):
    """Time-major padded input (T, B, F) or packed data (N, F) with step `sizes`."""
    step = _lstm_proj_step if module.proj_size > 0 else _STEPS[module.mode]
    dirs = 2 if module.bidirectional else 1
    h_n, c_n = [], []
    for layer in range(module.num_layers):
        xs = x.unbind(0) if sizes is None else x.split(sizes, 0)
        outputs = []
        for d in range(dirs):
            idx = layer * dirs + d
            w = [getattr(module, n) for n in module._all_weights[idx]]
            if not module.bias:
                w[2:2] = [None, None]
            outs, h, c = _run_direction(step, xs, hx[idx], None if cx is None else cx[idx], sizes, w,
                                        reverse=d == 1)
            outputs.append(torch.stack(outs, 0) if sizes is None else torch.cat(outs, 0))
            h_n.append(h)
            c_n.append(c)
        x = outputs[0] if dirs == 1 else torch.cat(outputs, -1)
        if module.dropout and module.training and layer < module.num_layers - 1:
            x = F.dropout(x, module.dropout, True)
    return x, torch.stack(h_n, 0), (None if cx is None else torch.stack(c_n, 0))


class RNNBase(Module):
    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool)):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=2)
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        dirs = 2 if bidirectional else 1
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(dirs):
                layer_input = input_size if layer == 0 else real_hidden * dirs
                shapes = [("weight_ih_l{}{}", (gate_size, layer_input)), ("weight_hh_l{}{}", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih_l{}{}", (gate_size,)), ("bias_hh_l{}{}", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr_l{}{}", (proj_size, hidden_size))]
                suffix = "_reverse" if direction == 1 else ""
                names = []
                for fmt, shape in shapes:
                    name = fmt.format(layer, suffix)
                    setattr(self, name, Parameter(torch.empty(shape, dtype=dtype, device=device)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, n, None) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def flatten_parameters(self):
        # PyTorch compacts weights for cuDNN only; on every other backend this does nothing.
        return None

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input, batch_sizes):
        wdtype = self._flat_weights[0].dtype
        if input.dtype != wdtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({wdtype}). "
                             f"Convert input: input.to({wdtype}), or convert model: model.to({input.dtype})")
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def _mini_batch(self, input, batch_sizes):
        if batch_sizes is not None:
            return int(batch_sizes[0])
        return input.size(0) if self.batch_first else input.size(1)

    def get_expected_hidden_size(self, input, batch_sizes):
        dirs = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * dirs, self._mini_batch(input, batch_sizes), size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx.index_select(1, permutation)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # --- shared forward plumbing ---------------------------------------------------------

    def _zeros(self, input, max_batch, size):
        dirs = 2 if self.bidirectional else 1
        return torch.zeros(self.num_layers * dirs, max_batch, size, dtype=input.dtype, device=input.device)

    def _unpack_input(self, input):
        """(data, batch_sizes, sorted, unsorted, is_batched, batch_dim) from a tensor or PackedSequence."""
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            return data, batch_sizes, sorted_indices, unsorted_indices, True, None
        if input.dim() not in (2, 3):
            raise ValueError(self._bad_dim_message(input.dim()))
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        return input, None, None, None, is_batched, batch_dim

    def _bad_dim_message(self, dim):
        return f"{self._get_name()}: Expected input to be 2D or 3D, got {dim}D instead"

    def _compute(self, input, batch_sizes, hx, cx):
        if batch_sizes is not None:
            sizes = [int(v) for v in batch_sizes.tolist()]
            return _run_layers(self, input, hx, cx, sizes)
        x = input.transpose(0, 1) if self.batch_first else input
        out, h, c = _run_layers(self, x, hx, cx, None)
        return (out.transpose(0, 1) if self.batch_first else out), h, c

    def _wrap_output(self, orig_input, output, batch_sizes, sorted_indices, unsorted_indices, is_batched,
                     batch_dim):
        if isinstance(orig_input, PackedSequence):
            return PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
        return output if is_batched else output.squeeze(batch_dim)


class RNN(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def _bad_dim_message(self, dim):
        return f"RNN: Expected input to be 2D or 3D, got {dim}D tensor instead"

    def forward(self, input, hx=None):
        orig = input
        input, batch_sizes, sorted_idx, unsorted_idx, is_batched, batch_dim = self._unpack_input(input)
        if hx is not None and not isinstance(orig, PackedSequence):
            if not is_batched and hx.dim() != 2:
                raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
            if is_batched and hx.dim() != 3:
                raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
            if not is_batched:
                hx = hx.unsqueeze(1)
        if hx is None:
            hx = self._zeros(input, self._mini_batch(input, batch_sizes), self.hidden_size)
        else:
            hx = self.permute_hidden(hx, sorted_idx)
        self.check_forward_args(input, hx, batch_sizes)
        output, hidden, _ = self._compute(input, batch_sizes, hx, None)
        output = self._wrap_output(orig, output, batch_sizes, sorted_idx, unsorted_idx, is_batched, batch_dim)
        if not is_batched:
            hidden = hidden.squeeze(1)
        return output, self.permute_hidden(hidden, unsorted_idx)


class LSTM(RNNBase):
    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def _bad_dim_message(self, dim):
        return f"LSTM: Expected input to be 2D or 3D, got {dim}D instead"

    def get_expected_cell_size(self, input, batch_sizes):
        dirs = 2 if self.bidirectional else 1
        return (self.num_layers * dirs, self._mini_batch(input, batch_sizes), self.hidden_size)

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)

    def forward(self, input, hx=None):
        orig = input
        input, batch_sizes, sorted_idx, unsorted_idx, is_batched, batch_dim = self._unpack_input(input)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is None:
            mb = self._mini_batch(input, batch_sizes)
            hx = (self._zeros(input, mb, real_hidden), self._zeros(input, mb, self.hidden_size))
            self.check_forward_args(input, hx, batch_sizes)
        elif isinstance(orig, PackedSequence):
            hx = self.permute_hidden(hx, sorted_idx)
            self.check_forward_args(input, hx, batch_sizes)
        else:
            want = 3 if is_batched else 2
            if hx[0].dim() != want or hx[1].dim() != want:
                kind = "batched 3-D" if is_batched else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D but got "
                                   f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            if not is_batched:
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
            self.check_forward_args(input, hx, batch_sizes)
        output, h, c = self._compute(input, batch_sizes, hx[0], hx[1])
        output = self._wrap_output(orig, output, batch_sizes, sorted_idx, unsorted_idx, is_batched, batch_dim)
        if not is_batched:
            h, c = h.squeeze(1), c.squeeze(1)
        return output, self.permute_hidden((h, c), unsorted_idx)


class GRU(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def _bad_dim_message(self, dim):
        return f"GRU: Expected input to be 2D or 3D, got {dim}D instead"

    forward = RNN.forward


# --- cells ---------------------------------------------------------------------------------

class RNNCellBase(Module):
    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(torch.empty((num_chunks * hidden_size, input_size), dtype=dtype, device=device))
        self.weight_hh = Parameter(torch.empty((num_chunks * hidden_size, hidden_size), dtype=dtype, device=device))
        if bias:
            self.bias_ih = Parameter(torch.empty(num_chunks * hidden_size, dtype=dtype, device=device))
            self.bias_hh = Parameter(torch.empty(num_chunks * hidden_size, dtype=dtype, device=device))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _check_dims(self, input, states):
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for label, value in states:
            if value is not None and value.dim() not in (1, 2):
                raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got {value.dim()}D instead")

    def _check_sizes(self, input, states):
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}")
        for i, h in enumerate(states):
            if input.size(0) != h.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{i} batch size {h.size(0)}")
            if h.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.size(1)}, "
                                   f"expected {self.hidden_size}")

    def _zeros(self, input):
        return torch.zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device)


class RNNCell(RNNCellBase):
    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        self._check_dims(input, [("hidden", hx)])
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if is_batched else hx.unsqueeze(0))
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check_sizes(input, [hx])
        cell = torch.rnn_tanh_cell if self.nonlinearity == "tanh" else torch.rnn_relu_cell
        ret = cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        self._check_dims(input, [] if hx is None else [(f"hx[{i}]", v) for i, v in enumerate(hx)])
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = self._zeros(input)
            hx = (zeros, zeros)
        elif not is_batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        self._check_sizes(input, hx)
        h, c = torch.lstm_cell(input, [hx[0], hx[1]], self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        self._check_dims(input, [("hidden", hx)])
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if is_batched else hx.unsqueeze(0))
        self._check_sizes(input, [hx])
        h = torch.gru_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return h if is_batched else h.squeeze(0)
