"""The migration report: `python -m mstorch --report FILE` and MSTORCH_REPORT=FILE."""
import json
import subprocess
import sys

from childproc import TIMEOUT_S, env, mstorch

PROGRAM = """
import os, subprocess, sys
import torch
x = torch.ones(2, 3)
for _ in range(3):
    torch.atan2(x, x)
x.mul_(2)
x.mul_(2)
torch.relu(x.t())
print(hasattr(torch, "no_such_api_xyz"), hasattr(torch.nn.functional, "no_such_fn"))
if sys.argv[2:] == ["child"]:
    # A child interpreter inherits the request but does not write the report.
    subprocess.run([sys.executable, "-c", "import torch; torch.zeros(3)"], check=True, timeout=200)
    print(os.path.exists(sys.argv[1]))
"""


def _program(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM)
    return path


def test_report_json_counts_ops_kernels_and_missing_names(tmp_path):
    prog, report = _program(tmp_path), tmp_path / "report.json"
    proc = mstorch("--report", str(report), str(prog), str(report), "child", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", "False"]  # the child wrote nothing
    data = json.loads(report.read_text())
    assert data["program"] == [str(prog), str(report), "child"]
    assert data["missing"] == {"torch.no_such_api_xyz": 1, "torch.nn.functional.no_such_fn": 1}
    ops = data["ops"]
    assert ops["atan2"]["calls"] == 3 and "torch.atan2" in ops["atan2"]["api"]
    assert ops["mul (in place)"]["calls"] == 2 and "Tensor.mul_" in ops["mul (in place)"]["api"]
    assert ops["mul (in place)"]["kernels"]["cpu"] == {"spec": "prim:Mul", "kind": "MindSpore primitive"}
    assert ops["relu"]["kernels"]["cpu"] == {"spec": "fn:ops_table.pointwise.ms.relu", "kind": "MindSpore (kernel function)"}
    assert ops["t"]["kernels"]["any"]["kind"].startswith("view")
    assert "zeros" not in ops  # called by the child only


def test_report_from_the_environment_as_text(tmp_path):
    prog, report = _program(tmp_path), tmp_path / "report.txt"
    e = env(enable=True)
    e["MSTORCH_REPORT"] = str(report)
    e.pop("MSTORCH_REPORT_PID", None)
    proc = subprocess.run([sys.executable, str(prog), str(report)], env=e, cwd=tmp_path,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr
    text = report.read_text()
    assert text.startswith("mstorch ") and "migration report" in text.splitlines()[0]
    assert "  torch.no_such_api_xyz  (asked 1x)" in text
    atan2 = next(line for line in text.splitlines() if line.split()[:1] == ["atan2"])
    assert atan2.split()[1] == "3"


def test_without_the_report_nothing_counts(tmp_path):
    code = ("import sys, torch; torch.ones(2).add(1); import dispatch.dispatcher as d; "
            "print('dispatch.usage' in sys.modules, d.OpRunner.run.__qualname__)")
    proc = mstorch("-c", code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "OpRunner.run"]
    assert proc.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_report_needs_a_file_name():
    proc = mstorch("--report")
    assert proc.returncode == 2 and "--report needs a file name" in proc.stderr
