"""Compare an mstorch result with a torch result: structure, shape, dtype, values."""
import numpy as np
import torch

from tests.parity.tolerances import FORWARD


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().resolve_conj()  # torch's conj/ihfft results carry a lazy conjugate bit
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.numpy()
    d = x.detach()
    if d.dtype.name == "bfloat16":
        return np.asarray(d._host_view(), dtype=np.float32)
    return np.asarray(d._host_view())


def assert_same(ours, ref, rtol=None, atol=None, table=FORWARD, what="result"):
    import mstorch
    if isinstance(ref, (tuple, list)):
        assert isinstance(ours, (tuple, list)), f"{what}: expected a sequence, got {type(ours).__name__}"
        assert len(ours) == len(ref), f"{what}: {len(ours)} outputs vs torch's {len(ref)}"
        for k, (a, b) in enumerate(zip(ours, ref)):
            assert_same(a, b, rtol, atol, table, f"{what}[{k}]")
        return
    if not isinstance(ref, torch.Tensor):
        if isinstance(ref, float) and np.isnan(ref):
            assert isinstance(ours, float) and np.isnan(ours), f"{what}: {ours!r} vs {ref!r}"
        else:
            assert ours == ref, f"{what}: {ours!r} vs torch {ref!r}"
        return
    assert isinstance(ours, mstorch.torch.Tensor), f"{what}: expected a Tensor, got {type(ours).__name__}"
    assert str(ours.dtype) == str(ref.dtype), f"{what}: dtype {ours.dtype} vs torch {ref.dtype}"
    assert tuple(ours.shape) == tuple(ref.shape), f"{what}: shape {tuple(ours.shape)} vs torch {tuple(ref.shape)}"
    a, b = to_numpy(ours), to_numpy(ref)
    name = str(ref.dtype).replace("torch.", "")
    if name in table:
        r, t = table[name]
        r = rtol if rtol is not None else r
        t = atol if atol is not None else t
        np.testing.assert_allclose(a.astype(np.complex128 if np.iscomplexobj(a) else np.float64),
                                   b.astype(np.complex128 if np.iscomplexobj(b) else np.float64),
                                   rtol=r, atol=t, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(a, b, err_msg=what)


def assert_same_meta(ours, ref):
    """Shape, dtype and strides only (for ops whose values PyTorch leaves unspecified)."""
    if isinstance(ref, (tuple, list)):  # several outputs (the SVD's factors)
        assert len(ours) == len(ref), f"{len(ours)} outputs vs torch {len(ref)}"
        for o, r in zip(ours, ref):
            assert_same_meta(o, r)
        return
    assert str(ours.dtype) == str(ref.dtype), f"dtype {ours.dtype} vs torch {ref.dtype}"
    assert tuple(ours.shape) == tuple(ref.shape), f"shape {tuple(ours.shape)} vs torch {tuple(ref.shape)}"
    if ref.numel() > 1:
        assert tuple(ours.stride()) == tuple(ref.stride()), f"stride {ours.stride()} vs torch {ref.stride()}"
