"""Tensor device/layout query properties answer as PyTorch's do (dcgan reads `is_xpu`)."""
import torch as real_torch

import mstorch.torch as torch

QUERIES = ["is_cpu", "is_cuda", "is_xpu", "is_mps", "is_ipu", "is_mtia", "is_maia", "is_vulkan",
           "is_xla", "is_meta", "is_nested", "is_mkldnn", "is_sparse", "is_sparse_csr", "is_quantized"]


def test_every_device_query_of_real_torch_is_served():
    real = real_torch.zeros(1)
    names = [n for n in dir(real) if n.startswith("is_") and not callable(getattr(real, n))]
    ours = torch.zeros(1)
    missing = [n for n in names if not hasattr(ours, n)]
    assert missing == []


def test_device_queries_match_on_cpu():
    real_torch.set_num_threads(1)
    real, ours = real_torch.ones(2, 3), torch.ones(2, 3)
    for name in QUERIES:
        assert getattr(ours, name) == getattr(real, name), name
