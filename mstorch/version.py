"""Version numbers mstorch reports, and a version string that compares like PyTorch's.

Libraries gate features on `torch.__version__` and on
`importlib.metadata.version("torch")`; both answer with the torch API level mstorch
follows, marked with a `+mstorch` local label so nobody mistakes it for real torch.
"""
import re

__version__ = "0.1.0"

# The torch release whose API mstorch follows (the test oracle), and its torchvision.
TORCH_API = "2.13.0"
TORCHVISION_API = "0.28.0"

SERVED_VERSIONS = {
    "torch": f"{TORCH_API}+mstorch",
    "torchvision": f"{TORCHVISION_API}+mstorch",
}

_PEP440 = re.compile(
    r"""
    v?(?:(?P<epoch>\d+)!)?
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?P<pre_n>\d+)?)?
    (?P<post>-(?P<post_n1>\d+)|[-_.]?(?:post|rev|r)[-_.]?(?P<post_n2>\d+)?)?
    (?P<dev>[-_.]?dev[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}


def _sort_key(text):
    """PEP 440 ordering key, or None when `text` is not a version."""
    m = _PEP440.fullmatch(text.strip())
    if m is None:
        return None
    release = [int(p) for p in m["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    has_post, has_dev = m["post"] is not None, m["dev"] is not None
    if m["pre_l"]:
        pre = (_PRE_RANK[m["pre_l"].lower()], int(m["pre_n"] or 0))
    elif has_dev and not has_post:
        pre = (-1,)  # X.devN sorts before X.aN
    else:
        pre = (3,)
    local = ()
    if m["local"]:
        # Alphanumeric segments sort before numeric ones; numeric ones compare as numbers.
        local = tuple((1, int(s)) if s.isdigit() else (0, s.lower())
                      for s in re.split(r"[-_.]", m["local"]))
    return (
        int(m["epoch"] or 0),
        tuple(release),
        pre,
        (0, int(m["post_n1"] or m["post_n2"] or 0)) if has_post else (-1,),
        (0, int(m["dev_n"] or 0)) if has_dev else (1,),
        local,
    )


def _other_key(other):
    if isinstance(other, str):
        return _sort_key(other)
    if isinstance(other, (tuple, list)):
        return _sort_key(".".join(str(p) for p in other))
    return None


class TorchVersion(str):
    """A `str` that compares as a version: `torch.__version__ >= "2.10"` is True for 2.13.

    Comparison with something that is not a version falls back to comparing strings,
    as PyTorch's own `TorchVersion` does.
    """

    def _compare(self, other, op, str_op):
        mine, theirs = _sort_key(self), _other_key(other)
        if mine is None or theirs is None:
            return str_op(other)
        return op(mine, theirs)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b, super().__lt__)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b, super().__le__)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b, super().__gt__)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b, super().__ge__)

    def __eq__(self, other):
        return self._compare(other, lambda a, b: a == b, super().__eq__)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__
