"""enable()/disable() with real torch installed: real before, mstorch while enabled, real after."""
import importlib.metadata
import importlib.util
import sys
import warnings

import mstorch
from mstorch import proxy


def torch_modules():
    return {k: v for k, v in sys.modules.items() if proxy.serves(k)}


def test_round_trip_with_real_torch():
    import torch as real
    modules_before, meta_path_before = torch_modules(), list(sys.meta_path)
    real_version = importlib.metadata.version("torch")

    mstorch.enable()
    try:
        mstorch.enable()  # a second call changes nothing
        import torch as ours
        import torch.version
        assert ours is mstorch.torch and torch.version is mstorch.torch.version
        assert set(torch_modules()) == {"torch", "torch.version"}
        assert all(isinstance(m, proxy.ProxyModule) for m in torch_modules().values())
        assert importlib.util.find_spec("torch").loader is proxy.LOADER
        assert importlib.metadata.version("torch") == "2.13.0+mstorch"
        assert importlib.metadata.version("torchvision") == "0.28.0+mstorch"
    finally:
        mstorch.disable()
    mstorch.disable()  # a second call changes nothing

    import torch as again
    assert again is real
    after = torch_modules()
    assert after.keys() == modules_before.keys()
    assert all(after[k] is modules_before[k] for k in after)
    # Importing a served submodule (torch.version) fills its __dict__ from mstorch's impl,
    # which loads MindSpore, and MindSpore's import registers six's importer process-wide.
    added = [f for f in sys.meta_path if f not in meta_path_before]
    assert all(type(f).__module__ == "six" for f in added), added
    assert [f for f in sys.meta_path if f in meta_path_before] == meta_path_before
    assert importlib.metadata.version("torch") == real_version
    assert importlib.util.find_spec("torch").origin == real.__spec__.origin
    assert real.ones(3).sum().item() == 3.0  # still a working torch


def test_einops_modules_follow_the_switch():
    import einops
    import einops._torch_specific as real_specific
    import torch as real
    assert real_specific.torch is real

    mstorch.enable()
    try:
        with warnings.catch_warnings():
            # TorchVersion compares as a version, so einops sees "2.13 >= 2.8"
            # and does not reach for torch._dynamo (which would warn).
            warnings.simplefilter("error")
            from einops import _torch_specific as ours_specific
        assert ours_specific is not real_specific
        assert ours_specific.torch is mstorch.torch
        assert einops._torch_specific is ours_specific
    finally:
        mstorch.disable()
    assert sys.modules["einops._torch_specific"] is real_specific
    assert einops._torch_specific is real_specific
