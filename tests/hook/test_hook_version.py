"""`torch.__version__` compares like PyTorch's TorchVersion; metadata answers while enabled."""
import importlib.metadata
import operator

import packaging.version
from hypothesis import given, strategies as st
from torch.torch_version import TorchVersion as RealTorchVersion

import mstorch
from hookfixture import enabled  # noqa: F401  (fixture)
from mstorch.version import TorchVersion

numbers = st.integers(0, 30).map(str)
versions = st.builds(
    lambda release, pre, post, dev, local: ".".join(release) + pre + post + dev + local,
    st.lists(numbers, min_size=1, max_size=4),
    st.sampled_from(["", "a", "b", "rc", "a0", "b2", "rc1", ".alpha1", "-beta", "c3"]),
    st.sampled_from(["", ".post1", ".post0", "-3", "post2", ".rev1"]),
    st.sampled_from(["", ".dev0", ".dev20240101", "dev"]),
    st.sampled_from(["", "+cpu", "+cu121", "+mstorch", "+git.abc123", "+1.2", "+cpu.3"]),
)
others = st.one_of(versions, st.tuples(*[st.integers(0, 30)] * 2), st.tuples(*[st.integers(0, 30)] * 3),
                   st.sampled_from(["not a version", "", "2.x", "abc"]))
OPS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq]


@given(versions, others)
def test_compares_like_pytorch(mine, other):
    for op in OPS:
        assert op(TorchVersion(mine), other) == op(RealTorchVersion(mine), other), (op, mine, other)


@given(versions, versions)
def test_order_is_pep440(a, b):
    assert (TorchVersion(a) < b) == (packaging.version.Version(a) < packaging.version.Version(b))
    assert (TorchVersion(a) != b) == (packaging.version.Version(a) != packaging.version.Version(b))


def test_torch_version_usages():
    v = mstorch.torch.__version__
    assert isinstance(v, str) and v == "2.13.0+mstorch"
    assert v >= "2.0" and v >= "2.10" and v < "2.14" and v > (2, 12) and v[0] == "2"
    assert v.split("+")[0] == "2.13.0"
    assert packaging.version.parse(v).release == (2, 13, 0)
    assert hash(v) == hash("2.13.0+mstorch")
    assert mstorch.torchvision.__version__ >= "0.15"


def test_metadata_while_enabled(enabled):
    dist = importlib.metadata.distribution("torch")
    assert (dist.metadata["Name"], dist.version) == ("torch", "2.13.0+mstorch")
    assert dist.requires is None and dist.files is None
    assert importlib.metadata.version("torchvision") == "0.28.0+mstorch"
    assert {"torch", "torchvision"} <= {d.metadata["Name"] for d in importlib.metadata.distributions()}
