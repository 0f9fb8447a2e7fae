"""mstorch's torchrun: torchrun's environment contract plus MindSpore's cluster variables,
failure teardown, signal forwarding, refused options, and two "nodes" on loopback.

Every launch runs under a time limit and leaves no process behind (launching.py checks
/proc for anything carrying the launch's marker, and kills it)."""
import json
import os
import signal
import sys
import time

import pytest

from tests.distributed import launching
from tests.distributed.launching import PROGRAMS

ENV_CHILD = PROGRAMS / "launch_env.py"
QUICK_S = 240     # launches that start no MindSpore cluster
CLUSTER_S = 600   # launches whose workers join one


def _ranks(out_dir, n=2):
    return [json.loads((out_dir / f"rank{r}.json").read_text()) for r in range(n)]


def test_env_contract(tmp_path):
    port = launching_free_port()
    code, out, left = launching.run(
        ["-m", "torch.distributed.run", "--nnodes=1", "--nproc-per-node=2", "--master-addr=localhost",
         f"--master-port={port}", "--rdzv-id=job7", "--role=trainer", str(ENV_CHILD), str(tmp_path), "a", "--b"],
        QUICK_S)
    assert code == 0, out
    assert not left, f"processes outlived the launch: {left}"
    for rank, facts in enumerate(_ranks(tmp_path)):
        env = facts["env"]
        assert env == {
            "RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": "2", "LOCAL_WORLD_SIZE": "2",
            "GROUP_RANK": "0", "GROUP_WORLD_SIZE": "1", "ROLE_RANK": str(rank), "ROLE_NAME": "trainer",
            "ROLE_WORLD_SIZE": "2", "MASTER_ADDR": "localhost", "MASTER_PORT": str(port),
            "TORCHELASTIC_RUN_ID": "job7", "TORCHELASTIC_RESTART_COUNT": "0", "TORCHELASTIC_MAX_RESTARTS": "0",
            "OMP_NUM_THREADS": env["OMP_NUM_THREADS"], "MS_ROLE": "MS_WORKER", "MS_SCHED_HOST": "127.0.0.1",
            "MS_SCHED_PORT": str(port), "MS_WORKER_NUM": "2", "MS_NODE_ID": str(rank), "RANK_ID": str(rank),
            "DEVICE_ID": str(rank), "RANK_SIZE": "2", "MSTORCH_ENABLE": "1"}
        assert env["OMP_NUM_THREADS"] == (os.environ.get("OMP_NUM_THREADS") or "1")
        assert facts["argv"] == [str(tmp_path), "a", "--b"]
        assert "served by mstorch" in facts["torch"]


def launching_free_port():
    from mstorch.impl.torch.distributed._launch_plan import free_port
    return free_port()


def test_worker_failure_stops_the_others(tmp_path):
    started = time.monotonic()
    code, out, left = launching.run(launching.torchrun_args(ENV_CHILD, tmp_path, "--fail-rank", "1", "3",
                                                            "--sleep-rank", "0"), QUICK_S)
    assert code == 1, out
    assert "[rank 1]" in out and "exitcode 3" in out, out
    assert "[rank 0]" not in out  # stopped by the launcher, not a failure of its own
    assert not left, f"processes outlived the failed job: {left}"
    assert time.monotonic() - started < QUICK_S / 2  # rank 0 would sleep 600 s


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_is_forwarded(tmp_path, sig):
    proc, marker = launching.start(launching.torchrun_args(ENV_CHILD, tmp_path, "--sleep-all", "--on-term"))
    try:
        deadline = time.monotonic() + QUICK_S
        while time.monotonic() < deadline:
            files = [tmp_path / f"rank{r}.json" for r in range(2)]
            if all(f.exists() and json.loads(f.read_text() or "{}").get("sleeping") for f in files):
                break
            assert proc.poll() is None, proc.communicate()[0]
            time.sleep(0.5)
        else:
            pytest.fail("the workers did not start")
        proc.send_signal(sig)
        code, out, left = launching.finish(proc, marker, 60)
    finally:
        launching.kill_all(marker)
    assert code == 128 + sig, out
    assert [f.get("got_signal") for f in _ranks(tmp_path)] == [sig, sig]
    assert not left, f"processes outlived the job: {left}"


@pytest.mark.parametrize("option, named", [
    ("--max-restarts=2", "--max-restarts"), ("--log-dir=/tmp/logs", "--log-dir"), ("--redirects=3", "--redirects"),
    ("--nnodes=1:2", "--nnodes"), ("--rdzv-backend=etcd", "--rdzv-backend"), ("--local-addr=10.0.0.1", "--local-addr"),
    ("--node-rank=2", "--node-rank")])
def test_unsupported_options_are_refused(capsys, option, named):
    from mstorch.impl.torch.distributed.run import parse_args, run
    assert run(parse_args([option, "--nproc-per-node=2", "train.py"])) == 2
    err = capsys.readouterr().err
    assert named in err and "mstorch" in err


def test_launcher_options_map_to_the_plan():
    from mstorch.impl.torch.distributed._launch_plan import plan_from_args
    from mstorch.impl.torch.distributed.run import parse_args
    plan = plan_from_args(parse_args(["--nnodes=2", "--node-rank=1", "--nproc-per-node=3",
                                      "--rdzv-backend=c10d", "--rdzv-endpoint=10.1.2.3:4567", "-m", "pkg.train",
                                      "x"]))
    assert plan.scheduler_cmd is None  # node 0 runs MindSpore's scheduler
    assert [(w.rank, w.env["MS_NODE_ID"], w.env["LOCAL_RANK"]) for w in plan.workers] == \
        [(3, "3", "0"), (4, "4", "1"), (5, "5", "2")]
    w = plan.workers[0]
    assert (w.env["MASTER_ADDR"], w.env["MASTER_PORT"], w.env["MS_SCHED_HOST"], w.env["MS_SCHED_PORT"]) == \
        ("10.1.2.3", "4567", "10.1.2.3", "4567")
    assert (w.env["WORLD_SIZE"], w.env["MS_WORKER_NUM"], w.env["GROUP_RANK"]) == ("6", "6", "1")
    assert w.cmd[-4:] == ["mstorch", "-m", "pkg.train", "x"]


def test_host_names_reach_mindspore_as_ipv4(capsys):
    """MindSpore's MS_SCHED_HOST must be an IP; MASTER_ADDR keeps the name the user gave."""
    import socket
    from mstorch.impl.torch.distributed._launch_plan import plan_from_args
    from mstorch.impl.torch.distributed.run import parse_args, run
    host = socket.gethostname()
    try:
        ip = socket.gethostbyname(host)
    except OSError:
        pytest.skip(f"this machine's own name {host!r} does not resolve")
    env = plan_from_args(parse_args([f"--master-addr={host}", "--nproc-per-node=1", "train.py"])).workers[0].env
    assert (env["MASTER_ADDR"], env["MS_SCHED_HOST"]) == (host, ip)
    assert run(parse_args(["--master-addr=no-such-host.invalid", "--nproc-per-node=2", "train.py"])) == 2
    err = capsys.readouterr().err
    assert "--master-addr='no-such-host.invalid'" in err and "IPv4" in err


def test_deprecated_launch_passes_the_local_rank():
    from mstorch.impl.torch.distributed._launch_plan import plan_from_args
    from mstorch.impl.torch.distributed.launch import parse_args
    plan = plan_from_args(parse_args(["--nproc-per-node=2", "train.py", "--lr", "1"]))
    assert [w.cmd[-3:] for w in plan.workers] == [["--lr", "1", "--local-rank=0"], ["--lr", "1", "--local-rank=1"]]
    plan = plan_from_args(parse_args(["--use-env", "--nproc-per-node=2", "train.py"]))
    assert [w.cmd[-1] for w in plan.workers] == ["train.py", "train.py"]


def test_two_nodes_on_loopback(tmp_path):
    """run_example.sh's form: the rendezvous endpoint named by host name (resolved for MindSpore)."""
    port = launching_free_port()
    common = ["-m", "torch.distributed.run", "--nnodes=2", "--nproc-per-node=1", "--rdzv-backend=c10d",
              f"--rdzv-endpoint=localhost:{port}", "--rdzv-id=101"]
    script = [str(PROGRAMS / "launch_collective.py"), str(tmp_path)]
    node0, marker0 = launching.start([*common, "--node-rank=0", *script])
    node1, marker1 = launching.start([*common, "--node-rank=1", *script])
    try:
        code1, out1, left1 = launching.finish(node1, marker1, CLUSTER_S)
        code0, out0, left0 = launching.finish(node0, marker0, CLUSTER_S)
    finally:
        launching.kill_all(marker0)
        launching.kill_all(marker1)
    assert (code0, code1) == (0, 0), out0[-3000:] + out1[-3000:]
    assert not left0 and not left1
    facts = _ranks(tmp_path)
    assert [(f["rank"], f["world"], f["sum"], f["group_rank"], f["local_rank"]) for f in facts] == \
        [(0, 2, 3.0, "0", "0"), (1, 2, 3.0, "1", "0")]


def _torchrun_env_child(tmp_path, args_prefix=(), **start):
    args = [*args_prefix, "--standalone", "--nproc-per-node=2", str(ENV_CHILD), str(tmp_path)]
    proc, marker = launching.start(args, **start)
    code, out, left = launching.finish(proc, marker, QUICK_S)
    assert code == 0, out
    assert not left
    return _ranks(tmp_path)


def test_pytorch_torchrun_script_runs_mstorch_when_enabled(tmp_path):
    """PyTorch's own `torchrun` file (installed beside mstorch here) under MSTORCH_ENABLE=1."""
    script = os.path.join(os.path.dirname(sys.executable), "torchrun")
    if not os.path.exists(script):
        pytest.skip("no torchrun script in this environment")
    facts = _torchrun_env_child(tmp_path, program=script, enable=True)
    assert all("served by mstorch" in f["torch"] and f["env"]["MS_ROLE"] == "MS_WORKER" for f in facts)


@pytest.mark.parametrize("enable", [True, False])
def test_mstorch_torchrun_entry_point(tmp_path, enable):
    """mstorch's console script: mstorch's launcher when enabled, PyTorch's own otherwise (real
    torch is installed here), so installing it over PyTorch's `torchrun` changes nothing."""
    code = "from mstorch.torchrun import main; main()"
    facts = _torchrun_env_child(tmp_path, mstorch_cli=False, enable=enable, args_prefix=["-c", code])
    for f in facts:
        assert ("served by mstorch" in f["torch"]) is enable
        assert (f["env"]["MS_ROLE"] == "MS_WORKER") is enable


def test_spawned_ranks_join_without_a_launcher(tmp_path):
    """The tutorial pattern: mp.spawn + MASTER_ADDR/MASTER_PORT + init_process_group(rank=, world_size=)."""
    code, out, left = launching.run([str(PROGRAMS / "launch_spawn.py"), str(launching_free_port()), str(tmp_path)],
                                    CLUSTER_S)
    assert code == 0, out[-4000:]
    assert not left, f"processes outlived the program: {left}"
    assert [(f["rank"], f["world"], f["sum"]) for f in _ranks(tmp_path)] == [(0, 2, 3.0), (1, 2, 3.0)]


def test_tcp_init_method_sets_the_cluster_variables(monkeypatch):
    from mstorch.impl.torch.distributed import _cluster
    for k in ("MS_ROLE", "MS_SCHED_HOST", "MS_SCHED_PORT", "MS_WORKER_NUM", "MS_NODE_ID", "MS_TOPO_TIMEOUT"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setattr(os, "environ", dict(os.environ))  # prepare() writes the variables for init()
    with pytest.raises(ValueError, match="world_size"):
        _cluster.prepare("tcp://10.0.0.7:2345", -1, 0, None)
    with pytest.raises(NotImplementedError, match="file://"):
        _cluster.prepare("file:///tmp/rendezvous", 2, 0, None)
    assert _cluster.prepare("tcp://10.0.0.7:2345", 4, 3, 60.0) == (4, 3)  # rank 3 starts no scheduler
    assert {k: os.environ[k] for k in ("MS_ROLE", "MS_SCHED_HOST", "MS_SCHED_PORT", "MS_WORKER_NUM", "MS_NODE_ID",
                                       "MS_TOPO_TIMEOUT")} == \
        {"MS_ROLE": "MS_WORKER", "MS_SCHED_HOST": "10.0.0.7", "MS_SCHED_PORT": "2345", "MS_WORKER_NUM": "4",
         "MS_NODE_ID": "3", "MS_TOPO_TIMEOUT": "60"}
    del os.environ["MS_ROLE"]  # else the next call sees a launched cluster
    _cluster.prepare("tcp://localhost:2345", 4, 3, None)
    del os.environ["MS_ROLE"]
    assert os.environ["MS_SCHED_HOST"] == "127.0.0.1"
    with pytest.raises(ValueError, match="init_method='no-such-host.invalid'"):
        _cluster.prepare("tcp://no-such-host.invalid:2345", 4, 3, None)


def test_deprecated_launch_module_runs(tmp_path):
    code, out, left = launching.run(["-m", "torch.distributed.launch", "--nproc-per-node=2",
                                     f"--master-port={launching_free_port()}", str(ENV_CHILD), str(tmp_path)],
                                    QUICK_S)
    assert code == 0, out
    assert not left
    assert "torch.distributed.launch is deprecated" in out
    assert [f["argv"][-1] for f in _ranks(tmp_path)] == ["--local-rank=0", "--local-rank=1"]


@pytest.mark.parametrize("launched, cuda_to_cpu, expected", [
    (True, True, 3), (False, True, 1), (True, False, 0)])
def test_cuda_to_cpu_counts_a_device_per_local_rank(monkeypatch, launched, cuda_to_cpu, expected):
    """Under --cuda-to-cpu in a torchrun launch each local rank's cuda:LOCAL_RANK is served by the
    CPU: LOCAL_WORLD_SIZE devices (CUDA examples check for 2 before starting)."""
    import mstorch.torch as mtorch
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "3")
    for name, on in (("TORCHELASTIC_RUN_ID", launched), ("MSTORCH_CUDA_TO_CPU", cuda_to_cpu)):
        if on:
            monkeypatch.setenv(name, "1")
        else:
            monkeypatch.delenv(name, raising=False)
    assert mtorch.cuda.device_count() == expected
    assert mtorch.accelerator.device_count() == expected


def test_default_backend_for_device_as_pytorch():
    import mstorch.torch as mtorch
    import torch
    for dev in ("cpu", "cuda", "cuda:1", "xpu"):
        assert mtorch.distributed.get_default_backend_for_device(dev) == \
            torch.distributed.get_default_backend_for_device(dev)
    assert mtorch.distributed.get_default_backend_for_device(mtorch.device("cpu")) == "gloo"
    for mod in (mtorch, torch):
        with pytest.raises(ValueError, match="Default backend not registered for device : meta"):
            mod.distributed.get_default_backend_for_device("meta")
