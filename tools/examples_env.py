"""The environments the examples run in: the oracle's extra packages, the examples' own
third-party packages, and the offline hub cache.

Everything is installed into folders under the runner's work directory (put on PYTHONPATH
per run), never into the project's venv: real torchvision in the venv would sit beside
mstorch's own torchvision, and the examples' requirements are not mstorch's.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OFFLINE_SITE = os.path.join(HERE, "offline_site")

# vgg16's published checkpoint name (torchvision's VGG16_Weights.IMAGENET1K_V1 URL); hub
# loaders take a file already in the cache without checking its hash.
VGG16_FILE = "vgg16-397923af.pth"

# What pip pulls in with matplotlib but the venv already pins (NumPy < 2 for MindSpore):
# removed from the deps folder so the venv's copies win.
_SHADOWING = re.compile(r"^(numpy|PIL|pillow)([-.]|$)", re.I)


def _python(code, env=None, timeout=600):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=timeout)


def real_torch_version():
    out = _python("import torch; print(torch.__version__)")
    if out.returncode:
        raise RuntimeError("real torch is not importable in this venv: " + out.stderr.strip()[-300:])
    return out.stdout.strip().split("+")[0]


def torchvision_for(torch_version):
    """torchvision's release paired with a torch release (2.x -> 0.(x+15))."""
    major, minor = (int(p) for p in torch_version.split(".")[:2])
    if major != 2:
        raise ValueError(f"no known torchvision pairing for torch {torch_version}")
    return f"0.{minor + 15}.0"


def _pip_target(target, *reqs, no_deps=False):
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--target", target]
    cmd += (["--no-deps"] if no_deps else []) + list(reqs)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(f"pip install {' '.join(reqs)} failed: {out.stderr.strip()[-500:]}")


def _guard_fake_registrations(tv_dir):
    # A torchvision wheel built for CUDA cannot load its _C library against a CPU torch; its
    # ops are then absent, yet _meta_registrations registers fakes for two of them without
    # asking. The examples use none of torchvision's C ops, so skip those two registrations
    # when the ops are absent, as the file already does for every other op.
    path = os.path.join(tv_dir, "_meta_registrations.py")
    with open(path) as f:
        text = f.read()
    guarded = re.sub(r'^@torch\.library\.register_fake\(("torchvision::\w+")\)',
                     r"@(torch.library.register_fake(\1) if torchvision.extension._has_ops() else (lambda f: f))",
                     text, flags=re.M)
    if guarded != text:
        with open(path, "w") as f:
            f.write(guarded)


def oracle_site(work):
    """A folder holding real torchvision for the real-torch runs (made once)."""
    site = os.path.join(work, "oracle_site")
    if not os.path.isdir(os.path.join(site, "torchvision")):
        _pip_target(site, f"torchvision=={torchvision_for(real_torch_version())}", no_deps=True)
        _guard_fake_registrations(os.path.join(site, "torchvision"))
    check = _python("import torchvision.models, torchvision.datasets",
                    env=dict(os.environ, PYTHONPATH=site))
    if check.returncode:
        raise RuntimeError("real torchvision does not import: " + check.stderr.strip()[-500:])
    return site


def deps_site(work):
    """A folder holding the examples' own requirements that the venv lacks (matplotlib;
    hydra-core and boto3 for distributed/minGPT-ddp)."""
    site = os.path.join(work, "deps_site")
    for module, package in (("matplotlib", "matplotlib"), ("hydra", "hydra-core"), ("boto3", "boto3")):
        if not os.path.isdir(os.path.join(site, module)):
            _pip_target(site, package)
    for name in os.listdir(site):
        if _SHADOWING.match(name):
            subprocess.run(["rm", "-rf", os.path.join(site, name)], check=True)
    return site


def torch_home(work, oracle):
    """A TORCH_HOME whose hub cache holds a VGG16 checkpoint for fast_neural_style.

    The published weights cannot be fetched here; the file is torchvision's own freshly
    initialised VGG16, saved by real torch in a subprocess. The example then trains against
    a random (not ImageNet) loss network: the numbers are comparable between runtimes, not
    meaningful as style transfer."""
    home = os.path.join(work, "torch_home")
    ckpt = os.path.join(home, "hub", "checkpoints", VGG16_FILE)
    if not os.path.isfile(ckpt):
        os.makedirs(os.path.dirname(ckpt), exist_ok=True)
        code = ("import torch, torchvision; torch.manual_seed(0); "
                f"torch.save(torchvision.models.vgg16().state_dict(), {ckpt + '.part'!r})")
        out = _python(code, env=dict(os.environ, PYTHONPATH=oracle))
        if out.returncode:
            raise RuntimeError("could not write the VGG16 checkpoint: " + out.stderr.strip()[-500:])
        os.replace(ckpt + ".part", ckpt)
    return home


def run_env(mode, work, oracle, deps, home, urls):
    """Environment for one example run: `mode` is 'torch' or 'mstorch'."""
    # mstorch runs from the checkout these tools belong to (an editable install may point elsewhere).
    checkout = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = [OFFLINE_SITE, deps] + ([oracle] if mode == "torch" else [checkout])
    env = dict(os.environ)
    env.pop("MSTORCH_ENABLE", None)
    env.update(PYTHONPATH=os.pathsep.join(paths), TORCH_HOME=home, MPLBACKEND="Agg",
               MSTORCH_EXAMPLES_URLS=json.dumps(urls), PYTHONUNBUFFERED="1")
    return env
