"""transformers' save_pretrained / from_pretrained under `python -m mstorch`: the reloaded
model's logits equal the saved model's, and real torch's for the same program.

from_pretrained loads weights on 4 threads by default (HF_DEACTIVATE_ASYNC_LOAD=1 loads
on one): the threaded case needs dispatch/mslock.py.  GPT-2 (threaded) runs in CI; the
rest in the long profile (MSTORCH_LONG_TESTS=1)."""
import importlib.util
import json
import subprocess
import sys

import pytest

from childproc import PROGRAMS, env
from long_profile import skip_unless_long

pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("transformers") and importlib.util.find_spec("torchvision")),
                                reason="needs transformers and (for the oracle) real torchvision: pip install -e .[test]")
long_only = skip_unless_long('~20 s a case')
PROGRAM = str(PROGRAMS / "libraries" / "transformers_pretrained.py")
TIMEOUT_S = 300

# Known gap, measured: Llama's non-persistent rotary_emb.inv_freq buffers come back as
# zeros (logits off by ~2e-3).  from_pretrained builds the model under
# `with torch.device("meta")`; mstorch's factories ignore that context and make CPU
# tensors while torch.get_default_device() answers 'meta', so transformers concludes the
# model is not on meta, initialises it during construction (marking every module
# `_is_hf_initialized`), later swaps the non-persistent buffers for `torch.empty_like`
# placeholders and skips their re-initialisation.  The fix is a served 'meta' device.
_LLAMA_META = pytest.mark.xfail(strict=True, raises=AssertionError, reason="'meta' device context not served (see comment above)")


def _run(args, async_load):
    e = env()
    if not async_load:
        e["HF_DEACTIVATE_ASYNC_LOAD"] = "1"
    proc = subprocess.run([sys.executable, *args], env=e, cwd=PROGRAMS, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"rc={proc.returncode}\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout)


def _check(name, async_load):
    ours = _run(["-m", "mstorch", PROGRAM, name], async_load)
    theirs = _run([str(PROGRAMS / "libraries" / "real_torch_oracle.py"), PROGRAM, name], async_load)
    assert theirs["reloaded"] == theirs["saved"]  # the oracle's own round trip is exact
    assert ours["reloaded"] == ours["saved"]
    assert ours["reloaded"] == pytest.approx(theirs["reloaded"], rel=1e-5, abs=1e-5)


def test_gpt2_reloads_on_threads_like_torch():
    _check("gpt2", async_load=True)


@long_only
def test_gpt2_reloads_on_one_thread_like_torch():
    _check("gpt2", async_load=False)


@long_only
@_LLAMA_META
@pytest.mark.parametrize("async_load", [True, False], ids=["threads", "one-thread"])
def test_llama_reloads_like_torch(async_load):
    _check("llama", async_load)
