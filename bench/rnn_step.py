"""Recurrent training steps (forward + backward of a sum loss), in ms:

  lstm_layer    nn.LSTM(28, 64, batch_first=True) on a (64, 28, 28) float32 batch
                (pytorch/examples mnist_rnn's shapes)
  lstmcell_f64  LSTMCell(1, 51) -> LSTMCell(51, 51) -> Linear(51, 1), float64, batch 97, 50
                steps (time_sequence_prediction's shapes and Python step loop)
  matmul_f64    one (97, 51) x (51, 204) float64 product (the cell's hidden matmul): MindSpore's
                MatMul vs NumPy, the measurement behind mm/linear's float64 NumPy path

mstorch vs MindSpore used directly (PyNative, blocking launch: nn.LSTM / nn.LSTMCell with
value_and_grad) vs real torch (1 thread), timed interleaved, medians.

    python bench/rnn_step.py [--rounds 5] [--calls 2]

Prints one JSON object with the times, the ratios and os.getloadavg() before/after."""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import interleaved, loadavg  # noqa: E402

_T = 50


def _lstm_layer(lib):
    lib.manual_seed(0)
    model = lib.nn.LSTM(28, 64, batch_first=True)
    x = lib.from_numpy(np.random.default_rng(0).standard_normal((64, 28, 28)).astype(np.float32))

    def step():
        model.zero_grad()
        out, _ = model(x)
        out[:, -1].sum().backward()
    return step


def _cells(lib):
    lib.manual_seed(0)
    c1, c2, lin = lib.nn.LSTMCell(1, 51).double(), lib.nn.LSTMCell(51, 51).double(), lib.nn.Linear(51, 1).double()
    x = lib.from_numpy(np.sin(np.arange(97 * _T).reshape(97, _T) / 20.0))

    def step():
        for m in (c1, c2, lin):
            m.zero_grad()
        h1 = c_1 = h2 = c_2 = lib.zeros(97, 51, dtype=lib.double)
        outs = []
        for x_t in x.split(1, dim=1):
            h1, c_1 = c1(x_t, (h1, c_1))
            h2, c_2 = c2(h1, (h2, c_2))
            outs.append(lin(h2))
        lib.cat(outs, 1).pow(2).sum().backward()
    return step


def _ms_lstm_layer():
    import mindspore as ms
    from mindspore import nn
    model = nn.LSTM(28, 64, batch_first=True)
    x = ms.Tensor(np.random.default_rng(0).standard_normal((64, 28, 28)).astype(np.float32))

    def loss(x):
        out, _ = model(x)
        return out[:, -1].sum()
    grad = ms.value_and_grad(loss, None, model.trainable_params())
    return lambda: grad(x)


def _ms_cells():
    import mindspore as ms
    from mindspore import nn, ops
    c1, c2, lin = nn.LSTMCell(1, 51), nn.LSTMCell(51, 51), nn.Dense(51, 1)
    params = c1.trainable_params() + c2.trainable_params() + lin.trainable_params()
    for p in params:
        p.set_data(p.astype(ms.float64))
    x = ms.Tensor(np.sin(np.arange(97 * _T).reshape(97, _T) / 20.0))

    def loss(x):
        h1 = c_1 = h2 = c_2 = ops.zeros((97, 51), ms.float64)
        outs = []
        for t in range(_T):
            h1, c_1 = c1(x[:, t:t + 1], (h1, c_1))
            h2, c_2 = c2(h1, (h2, c_2))
            outs.append(lin(h2))
        return ops.cat(outs, 1).pow(2).sum()
    grad = ms.value_and_grad(loss, None, params)
    return lambda: grad(x)


def _matmul_cases():
    from ops_table.common._ms import from_host, prim
    a, b = np.random.default_rng(0).standard_normal((97, 51)), np.random.default_rng(1).standard_normal((51, 204))
    ma, mb = from_host(a), from_host(b)
    mm = prim("MatMul")
    mm(ma, mb)
    return {"mindspore_MatMul": lambda: mm(ma, mb).asnumpy(),
            "numpy": lambda: from_host(np.matmul(ma.asnumpy(), mb.asnumpy()))}


def _guarded(make):
    try:
        fn = make()
        fn()
        return fn, None
    except Exception as exc:  # noqa: BLE001 - MindSpore lacking a kernel or dtype is a result here
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=2)
    args = ap.parse_args()
    before = loadavg()
    from dispatch.backend import init_mindspore
    init_mindspore()
    import torch
    torch.set_num_threads(1)
    import mstorch.torch as mt
    report = {"loadavg_before": before}
    for name, ms_make in (("lstm_layer", _ms_lstm_layer), ("lstmcell_f64", _ms_cells)):
        maker = _lstm_layer if name == "lstm_layer" else _cells
        cases = {"mstorch": maker(mt), "torch": maker(torch)}
        ms_fn, ms_err = _guarded(ms_make)
        if ms_fn is not None:
            cases["mindspore"] = ms_fn
        times = {k: round(v / 1000, 3) for k, v in interleaved(cases, args.calls, args.rounds).items()}
        entry = {"ms": times, "mstorch/torch": round(times["mstorch"] / times["torch"], 2)}
        if ms_fn is not None:
            entry["mstorch/mindspore"] = round(times["mstorch"] / times["mindspore"], 2)
        else:
            entry["mindspore_error"] = ms_err
        report[name] = entry
    mm = {k: round(v, 1) for k, v in interleaved(_matmul_cases(), 50, args.rounds).items()}
    report["matmul_f64_us"] = dict(mm, ratio_MatMul_to_numpy=round(mm["mindspore_MatMul"] / mm["numpy"], 2))
    report["loadavg_after"] = loadavg()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
