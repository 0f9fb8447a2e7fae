"""DistributedDataParallel and SyncBatchNorm on 2 CPU processes, against real torch in one process.

ONE launch (`python -m mstorch -m torch.distributed.run --standalone --nproc_per_node=2
programs/ddp_checks.py`) runs every check on both ranks and saves what it saw; each test here
reads those files and compares them with real torch (the oracle) run in this process on the
concatenated batch. The launch has a time limit and its whole process group is killed when it
fails or overruns.
"""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

PROGRAMS = Path(__file__).resolve().parent / "programs"
sys.path.insert(0, str(PROGRAMS))
import ddp_models as M  # noqa: E402  (imported here under real torch)

torch.set_num_threads(1)

LAUNCH_TIMEOUT_S = 420
RTOL, ATOL = 1e-5, 1e-6


MSTORCH_TORCHRUN = [sys.executable, "-m", "mstorch", "-m", "torch.distributed.run"]


def launch(script, *args, nproc=2, timeout=LAUNCH_TIMEOUT_S, cwd=PROGRAMS, launcher=MSTORCH_TORCHRUN, enable=False):
    """Run `script` under a torchrun launcher with a time limit; kill its whole session on any failure."""
    env = {k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"}
    if enable:
        env["MSTORCH_ENABLE"] = "1"
    cmd = [*map(str, launcher), "--standalone", f"--nproc_per_node={nproc}", str(script), *map(str, args)]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        pytest.fail(f"{script.name} ran past {timeout} s:\n{out[-4000:]}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # nothing of the launch may outlive it
        except ProcessLookupError:
            pass
    return proc.returncode, out


@pytest.fixture(scope="module")
def ranks(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("ddp")
    code, out = launch(PROGRAMS / "ddp_checks.py", out_dir)
    assert code == 0, out[-6000:]
    result = []
    for r in range(M.WORLD):
        with open(out_dir / f"rank{r}.json") as f:
            facts = json.load(f)
        result.append((dict(np.load(out_dir / f"rank{r}.npz")), facts))
    return result


def _prefixed(arrays, prefix):
    return {k[len(prefix) + 1:]: v for k, v in arrays.items() if k.startswith(prefix + "/")}


def _close(a, b, what):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=what)


def _reference_training(init):
    torch.manual_seed(0)
    model = M.MLP()
    M.load_state(model, init)
    xs = [M.batch(10 + k, 16, 8) for k in range(M.STEPS)]
    ys = [M.batch(50 + k, 16, 4) for k in range(M.STEPS)]
    losses = M.train_steps(model, M.sgd(model.parameters()), xs, ys)
    return {k: v.detach().numpy() for k, v in model.state_dict().items()}, losses


@pytest.mark.parametrize("tag", ["train", "train_small_buckets"])
def test_training_matches_one_process_on_the_concatenated_batch(ranks, tag):
    rank0_init = _prefixed(ranks[0][0], f"{tag}/init_local")
    rank1_init = _prefixed(ranks[1][0], f"{tag}/init_local")
    assert any(not np.array_equal(rank0_init[k], rank1_init[k]) for k in rank0_init), "inits should differ"
    for arrays, _ in ranks:   # construction broadcast rank 0's parameters
        synced = _prefixed(arrays, f"{tag}/init_synced")
        for k in rank0_init:
            np.testing.assert_array_equal(synced[k], rank0_init[k], err_msg=k)
    expected, ref_losses = _reference_training(rank0_init)
    finals = [_prefixed(arrays, f"{tag}/final") for arrays, _ in ranks]
    for k in expected:
        np.testing.assert_array_equal(finals[0][k], finals[1][k], err_msg=f"ranks differ in {k}")
        _close(finals[0][k], expected[k], k)
    # the mean of the two ranks' losses is the full batch's loss
    mean_losses = np.mean([facts[f"{tag}/losses"] for _, facts in ranks], axis=0)
    _close(mean_losses, ref_losses, "losses")


def test_buckets_rebuilt_in_ready_order_as_pytorch_assigns_them(ranks):
    params = list(M.MLP().parameters())
    ready = list(range(len(params)))[::-1]      # an MLP's gradients arrive last layer first
    for tag, limits in (("train", [1024 * 1024, 25 * 1024 * 1024]), ("train_small_buckets", [int(0.001 * 2 ** 20)])):
        expected, _ = torch.distributed._compute_bucket_assignment_by_size(
            [params[i] for i in ready], limits, [False] * len(params), ready)
        for _, facts in ranks:
            assert facts[f"{tag}/buckets"] == expected, tag


@pytest.mark.parametrize("seed", range(6))
def test_bucket_assignment_matches_pytorch(seed):
    from mstorch.impl.torch.nn.parallel import _buckets
    rng = np.random.RandomState(seed)
    dtypes = [torch.float32, torch.float64, torch.float16]
    tensors = [torch.zeros(int(rng.randint(1, 3000)), dtype=dtypes[rng.randint(0, 2 if seed % 2 else 3)])
               for _ in range(rng.randint(1, 25))]
    limits = sorted(int(v) for v in rng.randint(100, 20000, size=rng.randint(1, 3)))
    expected, _ = torch.distributed._compute_bucket_assignment_by_size(tensors, limits, [False] * len(tensors))
    assert _buckets.assign_by_size(tensors, limits) == expected
    # In ready order PyTorch leaves the unfilled buckets of several dtypes in hash-map order: one dtype here.
    tensors = [t.float() for t in tensors]
    order = [int(i) for i in rng.permutation(len(tensors))]
    expected, _ = torch.distributed._compute_bucket_assignment_by_size(
        [tensors[i] for i in order], limits, [False] * len(tensors), order)
    assert _buckets.assign_by_size([tensors[i] for i in order], limits, indices=order) == expected


def test_state_dict_has_module_prefix(ranks):
    facts = ranks[0][1]
    assert facts["train/module_is_model"]
    assert facts["train/state_dict_keys"] == ["module." + k for k in M.MLP().state_dict()]


def test_no_sync_accumulates_locally_then_averages(ranks):
    torch.manual_seed(7)
    model = M.MLP()
    mse = torch.nn.functional.mse_loss
    xa, ya, xb, yb = (M.batch(s, 16, d) for s, d in ((21, 8), (22, 4), (23, 8), (24, 4)))
    for r, (arrays, _) in enumerate(ranks):
        model.zero_grad()
        mse(model(torch.from_numpy(M.shard(xa, r))), torch.from_numpy(M.shard(ya, r))).backward()
        inside = _prefixed(arrays, "no_sync/inside")
        for n, p in model.named_parameters():
            _close(inside[n], p.grad.numpy(), f"rank {r} local grad {n}")
    model.zero_grad()
    mse(model(torch.from_numpy(xa)), torch.from_numpy(ya)).backward()
    mse(model(torch.from_numpy(xb)), torch.from_numpy(yb)).backward()
    for arrays, _ in ranks:
        after = _prefixed(arrays, "no_sync/after")
        for n, p in model.named_parameters():
            _close(after[n], p.grad.numpy(), f"accumulated grad {n}")


def test_sync_batchnorm_equals_batchnorm_on_the_concatenated_batch(ranks):
    assert ranks[0][1]["sync_bn/type"] == "SyncBatchNorm"
    torch.manual_seed(3)
    model = M.ConvBN()
    x = torch.from_numpy(M.batch(31, 8, 3, 6, 6)).requires_grad_()
    y = torch.from_numpy(M.batch(32, 8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    out = model(x)
    torch.nn.functional.mse_loss(out, y).backward()
    opt.step()
    expected = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    model.eval()
    eval_out = model(x).detach().numpy()
    for r, (arrays, _) in enumerate(ranks):
        _close(arrays["sync_bn/out"], M.shard(out.detach().numpy(), r), f"rank {r} output")
        # each rank's input gradient is that of the sum of both ranks' losses: twice the mean's
        _close(arrays["sync_bn/x_grad"], M.WORLD * M.shard(x.grad.numpy(), r), f"rank {r} input grad")
        after = _prefixed(arrays, "sync_bn/after_step")
        for k in expected:   # parameters after the step and the running statistics
            _close(after[k], expected[k], f"rank {r} {k}")
        _close(arrays["sync_bn/eval_out"], M.shard(eval_out, r), f"rank {r} eval output")


def test_find_unused_parameters(ranks):
    torch.manual_seed(5)
    model = M.TwoHeads()
    local = []
    for r, head in enumerate("ab"):
        model.zero_grad(set_to_none=True)
        model(torch.from_numpy(M.shard(M.batch(41, 8, 6), r)), head).pow(2).mean().backward()
        local.append({n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None})
    for arrays, facts in ranks:
        grads = _prefixed(arrays, "unused/grads")
        assert facts["unused/never_grad_is_none"]
        assert not any(k.startswith("never.") for k in grads)
        _close(grads["body.weight"], (local[0]["body.weight"] + local[1]["body.weight"]) / 2, "body")
        _close(grads["a.weight"], local[0]["a.weight"] / 2, "head a: used by rank 0 only")
        _close(grads["b.bias"], local[1]["b.bias"] / 2, "head b: used by rank 1 only")
        assert "Expected to have finished reduction in the prior iteration" in facts["unused/strict_error"]
        assert "find_unused_parameters=True" in facts["unused/strict_error"]


def test_buffers_broadcast_from_rank_0(ranks):
    for r, (_, facts) in enumerate(ranks):
        assert facts["buffers/after_init"] == [1.0] * 3
        assert facts["buffers/after_forward"] == [10.0] * 3
        assert facts["buffers/no_broadcast"] == [float(r + 1)] * 3
        assert "FutureWarning" in facts["buffers/warned"]
