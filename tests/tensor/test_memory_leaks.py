"""Native memory stays flat: RSS (from /proc/self/statm) after warm-up over thousands of op
calls and ~2,000 training steps of a small model, in a `python -m mstorch` child.

MindSpore's CPU primitives that take non-tensor inputs leaked ~650 bytes of its memory pool
per such input per call (ReduceMax, MatMul, Softmax, NLLLoss...: ops_table/common/
ms_leakfree.py); before that was worked around, each case below grew 1.2-8.5 KB per call or
step (bench/leak.py), i.e. 4-20 MB over these loops. The bounds leave room for the
allocator's noise (a few hundred KB either way)."""
import json

import pytest

import childproc
from long_profile import skip_unless_long
from time_limit import time_limit

OPS = ["matmul", "linear", "sum_dim", "softmax", "cross_entropy"]
MORE_OPS = ["matmul_large", "sum"]


def _probe(calls, steps, cases, limit_s):
    with time_limit(limit_s):
        proc = childproc.mstorch("rss_probe.py", str(calls), str(steps), *cases)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _assert_flat(growth, calls, bound_mb):
    grown = {k: round(v * calls / 1e6, 2) for k, v in growth.items() if v * calls > bound_mb * 1e6}
    assert not grown, f"RSS grew by more than {bound_mb} MB over {calls} calls (MB): {grown}"


def test_ops_rss_flat_over_thousands_of_calls():
    growth = _probe(2000, 1, OPS, 200)
    _assert_flat(growth, 2000, 1.0)


def test_training_steps_rss_flat():
    growth = _probe(1, 2000, ["mlp_adam"], 200)
    _assert_flat(growth, 2000, 3.0)


@skip_unless_long("30,000 op calls and 10,000 training steps per case, several minutes")
@pytest.mark.parametrize("case", OPS + MORE_OPS + ["mlp_adam", "mlp_sgd"])
def test_rss_flat_long(case):
    n = 10000 if case.startswith("mlp_") else 30000
    growth = _probe(n, n, [case], 900)
    _assert_flat(growth, n, 3.0)
