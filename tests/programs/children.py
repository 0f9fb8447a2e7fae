"""Reports which torch child interpreters get: spawn, forkserver and subprocess children.

Started under mstorch (CLI or MSTORCH_ENABLE=1) every child must see mstorch too.
"""
import json
import multiprocessing
import subprocess
import sys

import torch

PROBE = "import torch; print(type(torch).__module__)"


def torch_kind(_=None):
    return type(torch).__module__


if __name__ == "__main__":
    seen = {"parent": torch_kind()}
    for method in ("spawn", "forkserver"):
        with multiprocessing.get_context(method).Pool(1) as pool:
            seen[method] = pool.apply(torch_kind)
    seen["subprocess"] = subprocess.run([sys.executable, "-c", PROBE], capture_output=True,
                                        text=True, timeout=120, check=True).stdout.strip()
    print(json.dumps(seen))
