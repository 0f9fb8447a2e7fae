"""Byte-exact comparison helpers shared by the RNG stream tests (test_rng_streams.py,
test_rng_distributions.py): our host generator against real torch's, raw bytes compared.
"""
import platform

import numpy as np
import pytest
import torch

from dispatch import random as R
from ops_table.random import torch_streams as S

NP = {torch.float32: np.float32, torch.float64: np.float64,
      torch.float16: np.float16}


def same(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def assert_same(ours, theirs, what=""):
    ours = np.asarray(ours)
    theirs = theirs.numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    if same(ours, theirs):
        return
    if ours.shape == theirs.shape and ours.dtype == theirs.dtype:
        a = ours.reshape(-1)
        b = theirs.reshape(-1)
        bad = np.flatnonzero(a.view(np.uint8).reshape(a.size, -1).tobytes() != b.tobytes()) \
            if a.size == 0 else np.flatnonzero(
                (a.view(np.uint8).reshape(a.size, -1) != b.view(np.uint8).reshape(b.size, -1)).any(1))
        raise AssertionError("%s: %d of %d differ, first at %s: %r vs %r"
                             % (what, bad.size, a.size, bad[:5], a[bad[:3]], b[bad[:3]]))
    raise AssertionError("%s: %s %s vs %s %s"
                         % (what, ours.shape, ours.dtype, theirs.shape, theirs.dtype))


def pair(seed):
    return R.HostGenerator(seed), torch.Generator().manual_seed(seed)


def mkl_bernoulli():
    """torch's scalar-p bernoulli_ (and so dropout) uses MKL's own stream on
    Intel CPUs when built with MKL; our stream is the default kernel's."""
    if not torch.backends.mkl.is_available() or platform.machine() != "x86_64":
        return False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return "GenuineIntel" in line
    except OSError:
        return False
    return False


needs_default_bernoulli = pytest.mark.skipif(
    mkl_bernoulli(), reason="torch uses MKL's bernoulli on Intel CPUs")


def follow(g, tg, what):
    """The stream-consumption check: the next rand(3) must agree."""
    assert_same(S.rand(g, (3,)), torch.rand(3, generator=tg), what + " then rand(3)")

