"""Real training programs (tests/programs/train/*.py), run unmodified in subprocesses under
`python -m mstorch` and under real PyTorch from the same seed: every number they print
must agree (relative 1e-4; float32 over 20+ steps)."""
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = sorted((Path(__file__).resolve().parents[1] / "programs" / "train").glob("*.py"))
_NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|nan|inf")


def _run(args, timeout):
    env = {k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"}
    env["GLOG_v"] = "3"
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"{args} failed:\n{done.stderr[-4000:]}"
    return done.stdout.splitlines()


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_matches_pytorch(program):
    ours = _run(["-m", "mstorch", str(program)], timeout=600)
    ref = _run([str(program)], timeout=300)
    assert len(ours) == len(ref), f"{len(ours)} lines vs torch's {len(ref)}"
    for a, b in zip(ours, ref):
        na, nb = _NUMBER.findall(a), _NUMBER.findall(b)
        assert _NUMBER.sub("#", a) == _NUMBER.sub("#", b), f"{a!r} vs torch {b!r}"
        for x, y in zip(na, nb):
            x, y = float(x), float(y)
            assert math.isclose(x, y, rel_tol=1e-4, abs_tol=1e-5) or (math.isnan(x) and math.isnan(y)), \
                f"{a!r} vs torch {b!r}"
