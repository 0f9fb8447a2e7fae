"""Seconds per training step of the library programs in tests/programs/libraries, under
`python -m mstorch` and under real torch (the environment's thread settings for both), run one after
the other per case and printed as a markdown table with the load average.

usage: python tools/library_step_times.py [--only NAME,NAME] [--repeat N]

Each program prints JSON with "step_s" (one number, or a list of per-step seconds whose
first step is the warm-up); the table shows the median over --repeat runs.  Programs are
run as the suite runs them (tests/childproc.py), so the numbers include nothing but the
steps the program itself times."""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

LIBRARIES = Path(__file__).resolve().parent.parent / "tests" / "programs" / "libraries"
ORACLE = LIBRARIES / "real_torch_oracle.py"

# name -> (what the table calls it, program, its arguments)
CASES = {
    "gpt2": ("transformers: GPT-2 (2 layers, d=32), AdamW", "transformers_gpt2.py", ()),
    "bert": ("transformers: BERT (2 layers, d=32), AdamW", "transformers_bert.py", ()),
    "llama": ("transformers: Llama (2 layers, d=32), AdamW", "transformers_llama.py", ()),
    "t5": ("transformers: T5 (2+2 layers, d=32), AdamW", "transformers_t5.py", ()),
    "convnext": ("timm: convnext_atto 64x64, batch 2, AdamW", "timm_train.py", ("convnext_atto", "64", "adamw", "1e-3")),
    "vit": ("timm: vit_tiny 64x64, batch 2, AdamW", "timm_train.py",
            ("vit_tiny_patch16_224", "64", "adamw", "1e-3", "none", '{"img_size": 64}')),
    "lightning": ("lightning + torchmetrics: MLP Trainer.fit, SGD", "lightning_mlp.py", ()),
    "xtransformers": ("x-transformers: Decoder, Adam", "xtransformers_decoder.py", ()),
    "accelerate": ("accelerate: Accelerator MLP, AdamW", "accelerate_loop.py", ()),
    "peft": ("peft: LoRA MLP, AdamW", "peft_lora.py", ()),
}


def _env():
    # The user's environment as it is (thread counts included): what a user would measure.
    return {k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"}


def _step_seconds(argv):
    proc = subprocess.run([sys.executable, *argv], env=_env(), capture_output=True, text=True,
                          cwd=LIBRARIES, timeout=900)
    if proc.returncode != 0:
        return None, proc.stderr.strip().splitlines()[-1:] or ["exit %d" % proc.returncode]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    step = out["step_s"]
    if isinstance(step, list):  # per-step seconds: drop the first (warm-up) step
        step = statistics.median(step[1:])
    return step, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated case names: " + ",".join(CASES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(CASES)
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    print("| case | mstorch s/step | torch s/step | ratio |")
    print("|---|---|---|---|")
    for name in names:
        label, program, extra = CASES[name]
        ours, theirs, errors = [], [], []
        for _ in range(args.repeat):  # interleaved, so load drifts hit both alike
            for runs, argv in ((ours, ["-m", "mstorch", program, *extra]), (theirs, [str(ORACLE), program, *extra])):
                value, error = _step_seconds(argv)
                runs.append(value) if error is None else errors.append(error[0])
        if errors:
            print(f"| {label} | failed: {errors[0][:80]} | | |")
            continue
        m, t = statistics.median(ours), statistics.median(theirs)
        print(f"| {label} | {m:.4f} | {t:.4f} | {m / t:.1f} |", flush=True)
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
