"""torch.hub: the checkpoint cache (`load_state_dict_from_url`, `download_url_to_file`,
`get_dir`/`set_dir`).  Loading models from GitHub repos (`torch.hub.load`) is not served.

Downloads go through urllib, so `file://` URLs work offline and a cached file is used
without touching the network; a real download without network fails with a message
that says which URL and where to put the file by hand.
"""
import errno
import hashlib
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
from urllib.parse import urlparse  # noqa: F401  (torch.hub exports it; timm imports it from here)

ENV_TORCH_HOME = "TORCH_HOME"
ENV_XDG_CACHE_HOME = "XDG_CACHE_HOME"
DEFAULT_CACHE_DIR = "~/.cache"
READ_DATA_CHUNK = 128 * 1024
# PyTorch's convention: "<name>-<first hex digits of the sha256>.<ext>".
HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")

_hub_dir = None


def _get_torch_home():
    return os.path.expanduser(os.getenv(ENV_TORCH_HOME, os.path.join(
        os.getenv(ENV_XDG_CACHE_HOME, DEFAULT_CACHE_DIR), "torch")))


def get_dir():
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if _hub_dir is not None:
        return _hub_dir
    return os.path.join(_get_torch_home(), "hub")


def set_dir(d):
    global _hub_dir
    _hub_dir = os.path.expanduser(os.fspath(d))


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Download `url` to `dst` (atomically: a temp file beside it, then a rename)."""
    dst = os.path.expanduser(os.fspath(dst))
    req = urllib.request.Request(url, headers={"User-Agent": "mstorch.hub"})
    try:
        u = urllib.request.urlopen(req)
    except urllib.error.URLError as e:
        reason = getattr(e, "reason", e)
        raise urllib.error.URLError(
            f"mstorch.hub could not download {url}: {reason}. If this machine has no network access, fetch the "
            f"file elsewhere and place it at {dst}") from e
    dst_dir = os.path.dirname(dst) or "."
    f = tempfile.NamedTemporaryFile(delete=False, dir=dst_dir, prefix=".", suffix=".partial")
    try:
        sha256 = hashlib.sha256() if hash_prefix is not None else None
        with u:
            while True:
                buf = u.read(READ_DATA_CHUNK)
                if not buf:
                    break
                f.write(buf)
                if sha256 is not None:
                    sha256.update(buf)
        f.close()
        if sha256 is not None:
            digest = sha256.hexdigest()
            if digest[:len(hash_prefix)] != hash_prefix:
                raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')
        shutil.move(f.name, dst)
    finally:
        f.close()
        if os.path.exists(f.name):
            os.remove(f.name)


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True, check_hash=False,
                             file_name=None, weights_only=False):
    """Load a checkpoint from the hub cache, downloading it first when it is not cached."""
    if os.getenv("TORCH_MODEL_ZOO"):
        warnings.warn("TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    try:
        os.makedirs(model_dir)
    except OSError as e:
        if e.errno != errno.EEXIST:
            raise
    parts = urllib.parse.urlparse(url)
    filename = file_name or os.path.basename(parts.path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        hash_prefix = None
        if check_hash:
            r = HASH_REGEX.search(filename)
            hash_prefix = r.group(1) if r else None
        download_url_to_file(url, cached_file, hash_prefix, progress=progress)
    import zipfile
    if zipfile.is_zipfile(cached_file) and _is_legacy_zip(cached_file):
        raise NotImplementedError("mstorch: hub checkpoints in the legacy zip-of-a-checkpoint format are not "
                                  "supported; unzip the file and torch.load it")
    from mstorch.impl.torch.serialization import load
    return load(cached_file, map_location=map_location, weights_only=weights_only)


def _is_legacy_zip(path):
    # Old hub files are a zip holding one plain checkpoint, not PyTorch's archive layout.
    import zipfile
    with zipfile.ZipFile(path) as z:
        names = z.infolist()
        return len(names) == 1 and not names[0].is_dir() and "/" not in names[0].filename


def _hub_models(name):
    raise NotImplementedError(f"mstorch: torch.hub.{name} (running a repository's hubconf.py) is not supported; "
                              "build the model from its library and load weights with load_state_dict_from_url")


def load(repo_or_dir, model, *args, source="github", trust_repo="check", force_reload=False, verbose=True,
         skip_validation=False, **kwargs):
    _hub_models("load")


def list(github, force_reload=False, skip_validation=False, trust_repo="check", verbose=True):
    _hub_models("list")


def help(github, model, force_reload=False, skip_validation=False, trust_repo="check"):
    _hub_models("help")
