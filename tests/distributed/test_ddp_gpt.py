"""A nanoGPT-style script (programs/gpt_ddp.py) launched by `MSTORCH_ENABLE=1 torchrun --standalone
--nproc_per_node=2` follows the loss curve of the same script in one process with the same (global) batch."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from test_ddp import PROGRAMS, launch

ONE_PROCESS_TIMEOUT_S = 300


def _losses(text):
    return [float(v) for v in re.findall(r"^iter \d+: loss (\S+)$", text, flags=re.M)]


def test_two_processes_follow_one_process_with_twice_the_batch(tmp_path):
    torchrun = Path(sys.executable).parent / "torchrun"     # the venv's console script
    code, out = launch(PROGRAMS / "gpt_ddp.py", "--batch_size", "8", "--out", tmp_path / "ddp.pt",
                       launcher=[torchrun], enable=True)
    assert code == 0, out[-6000:]
    ddp = _losses(out)
    single = subprocess.run([sys.executable, "-m", "mstorch", str(PROGRAMS / "gpt_ddp.py"), "--batch_size", "8"],
                            capture_output=True, text=True, timeout=ONE_PROCESS_TIMEOUT_S, cwd=tmp_path)
    assert single.returncode == 0, single.stderr[-6000:]
    one = _losses(single.stdout)
    assert len(ddp) == len(one) == 12, (out[-3000:], single.stdout)
    assert one[-1] < one[0] - 0.5, one          # it trains
    np.testing.assert_allclose(ddp, one, rtol=0, atol=1e-4)
    assert (tmp_path / "ddp.pt").exists()       # rank 0 saved the raw model through model.module
