"""Adam/AdamW's fused step (torch._fused_adam_/_fused_adamw_, Adam's default in mstorch):
in-place writes into the parameters' and state's own memory, strided and low-precision
tensors, GradScaler's grad_scale/found_inf hand-over, the host kernel of forked workers,
and PyTorch's errors. Values are checked against real torch (the table's parity tests
cover the op itself on random inputs)."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
RNG = np.random.default_rng(7)
SHAPES = [(4, 3), (3,), (2, 4)]
INIT = [RNG.standard_normal(s).astype(np.float32) for s in SHAPES]
GRADS = [[RNG.standard_normal(s).astype(np.float32) for s in SHAPES] for _ in range(6)]


def _np(t):
    return t.detach().float().numpy() if hasattr(t, "detach") else np.asarray(t)


def _train(lib, cls="Adam", dtype="float32", steps=6, **kwargs):
    ps = [lib.nn.Parameter(lib.tensor(a.copy()).to(getattr(lib, dtype))) for a in INIT]
    kwargs.setdefault("lr", 0.05)
    opt = getattr(lib.optim, cls)(ps, **kwargs)
    for k in range(steps):
        for p, g in zip(ps, GRADS[k]):
            p.grad = lib.tensor(g.copy()).to(getattr(lib, dtype))
        opt.step()
    return ps, opt


@pytest.mark.parametrize("cls,kwargs", [
    ("Adam", {}), ("Adam", {"amsgrad": True, "weight_decay": 0.1}), ("Adam", {"maximize": True}),
    ("AdamW", {}), ("AdamW", {"amsgrad": True}),
])
def test_fused_true_matches_torch_fused(cls, kwargs):
    ps_m, opt_m = _train(T, cls, fused=True, **kwargs)
    ps_t, opt_t = _train(torch, cls, fused=True, **kwargs)
    for a, b in zip(ps_m, ps_t):
        np.testing.assert_allclose(_np(a), _np(b), rtol=2e-5, atol=2e-6)
    for p_m, p_t in zip(ps_m, ps_t):
        st_m, st_t = opt_m.state[p_m], opt_t.state[p_t]
        assert list(st_m) == list(st_t)
        assert float(st_m["step"]) == float(st_t["step"]) and st_m["step"].dtype == T.float32


def test_tensor_lr_equals_float_lr():
    ps_a, _ = _train(T, fused=True, lr=float(np.float32(0.05)))  # the float32 value a Tensor lr holds
    ps = [T.nn.Parameter(T.tensor(a.copy())) for a in INIT]
    opt = T.optim.Adam(ps, lr=T.tensor(0.05), fused=True)
    for k in range(6):
        for p, g in zip(ps, GRADS[k]):
            p.grad = T.tensor(g.copy())
        opt.step()
    for a, b in zip(ps, ps_a):
        np.testing.assert_array_equal(_np(a), _np(b))


def test_default_is_the_fused_kernel_and_foreach_false_is_torchs_loop():
    default, _ = _train(T)
    fused, _ = _train(T, fused=True)
    loop, _ = _train(T, foreach=False)
    ref, _ = _train(torch, foreach=False)
    for d, f, lp, r in zip(default, fused, loop, ref):
        np.testing.assert_array_equal(_np(d), _np(f))
        np.testing.assert_allclose(_np(lp), _np(r), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(_np(d), _np(r), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-12), ("float16", 2e-3), ("bfloat16", 2e-2)])
def test_other_float_dtypes_match_torch_fused(dtype, tol):
    ps_m, _ = _train(T, dtype=dtype, fused=True)
    ps_t, _ = _train(torch, dtype=dtype, fused=True)
    for a, b in zip(ps_m, ps_t):
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(_np(a), _np(b), rtol=tol, atol=tol)


def test_writes_land_in_the_parameters_own_memory():
    p = T.nn.Parameter(T.ones(2, 3))
    alias, host = p.view(6), p.detach().numpy()
    ptr, version = p.data_ptr(), p._version
    opt = T.optim.Adam([p], lr=0.1)
    p.grad = T.arange(6.0).view(2, 3)
    opt.step()
    assert p.data_ptr() == ptr and p._version > version
    state = opt.state[p]
    assert state["exp_avg"]._version > 0 and state["exp_avg_sq"]._version > 0
    np.testing.assert_array_equal(_np(alias), _np(p).reshape(6))
    np.testing.assert_array_equal(host, _np(p))
    assert not np.allclose(host, 1.0)


def test_strided_parameters_and_state_are_written_back():
    ref = [torch.tensor(a.copy()) for a in INIT[:1]]
    base = T.tensor(np.ascontiguousarray(INIT[0].T))
    p = base.t()  # a strided view: the kernel works on a copy that is written back
    assert not p.is_contiguous()
    g, m, v = T.tensor(GRADS[0][0]), T.zeros(4, 3), T.zeros(4, 3)
    step = T.tensor(1.0)
    T._fused_adam_([p], [g], [m], [v], [], [step], lr=0.05, beta1=0.9, beta2=0.999, weight_decay=0.0, eps=1e-8,
                   amsgrad=False, maximize=False)
    rm, rv = torch.zeros(4, 3), torch.zeros(4, 3)
    torch._fused_adam_(ref, [torch.tensor(GRADS[0][0])], [rm], [rv], [], [torch.tensor(1.0)], lr=0.05, beta1=0.9,
                       beta2=0.999, weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False)
    # MindSpore's kernel forms 1 - beta2 in float32 (ops_table/optim/ms.py): ~6e-6 relative.
    np.testing.assert_allclose(_np(p), ref[0].numpy(), rtol=2e-5, atol=1e-6)
    np.testing.assert_array_equal(_np(base).T, _np(p))
    np.testing.assert_allclose(_np(m), rm.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(_np(v), rv.numpy(), rtol=2e-5)


def test_a_saved_parameter_changed_by_the_step_fails_backward_like_torch():
    p = T.nn.Parameter(T.ones(3))
    loss = (p * p).sum()
    opt = T.optim.Adam([p], lr=0.1)
    p.grad = T.ones(3)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def _scaler_run(lib, steps, inf_steps):
    rs = np.random.default_rng(3)
    w = lib.tensor(rs.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    x = lib.tensor(rs.standard_normal((6, 3)).astype(np.float32))
    y = lib.tensor(rs.standard_normal((6, 2)).astype(np.float32))
    opt = lib.optim.Adam([w], lr=0.1, fused=True)
    scaler = lib.amp.GradScaler("cpu", init_scale=2.0 ** 4, growth_interval=2)
    scales = []
    for i in range(steps):
        opt.zero_grad()
        loss = ((x @ w - y) ** 2).mean()
        if i in inf_steps:
            loss = loss * float("inf")
        scaler.scale(loss).backward()
        if i == 1:
            scaler.unscale_(opt)  # the optimizer then gets no grad_scale, only found_inf
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return scales, _np(w), float(opt.state[w]["step"]), _np(w.grad)


def test_grad_scaler_hands_scale_and_inf_flag_to_the_fused_step():
    got, ref = _scaler_run(T, 7, {3, 4}), _scaler_run(torch, 7, {3, 4})
    assert got[0] == ref[0]
    assert got[2] == ref[2] == 5.0  # two skipped steps are not counted
    np.testing.assert_allclose(got[1], ref[1], rtol=2e-5, atol=2e-6)
    # The kernel leaves the gradients unscaled, as torch's (they differ as much as w does).
    np.testing.assert_allclose(got[3], ref[3], rtol=1e-4, atol=1e-6)


def test_host_kernel_of_forked_workers(monkeypatch):
    import dispatch.backend as backend
    ps = [T.tensor(a.copy()) for a in INIT]
    state = [[T.zeros(s) for s in SHAPES] for _ in range(3)]
    steps = [T.tensor(2.0) for _ in SHAPES]
    grads = [T.tensor(g) for g in GRADS[0]]
    monkeypatch.setitem(backend._state, "forked", True)  # as in a forked DataLoader worker
    T._fused_adamw_(ps, grads, state[0], state[1], state[2], steps, lr=0.05, beta1=0.9, beta2=0.999,
                    weight_decay=0.1, eps=1e-8, amsgrad=True, maximize=True)
    monkeypatch.setitem(backend._state, "forked", False)
    ref = [torch.tensor(a.copy()) for a in INIT]
    rstate = [[torch.zeros(s) for s in SHAPES] for _ in range(3)]
    torch._fused_adamw_(ref, [torch.tensor(g) for g in GRADS[0]], rstate[0], rstate[1], rstate[2],
                        [torch.tensor(2.0) for _ in SHAPES], lr=0.05, beta1=0.9, beta2=0.999, weight_decay=0.1,
                        eps=1e-8, amsgrad=True, maximize=True)
    for a, b in zip(ps + state[2], ref + rstate[2]):
        np.testing.assert_allclose(_np(a), b.numpy(), rtol=1e-6, atol=1e-7)


def test_errors_like_torch():
    ints = [T.nn.Parameter(T.ones(2), requires_grad=False).long()]
    with pytest.raises(RuntimeError, match="floating point"):
        opt = T.optim.Adam(ints, fused=True)
        ints[0].grad = T.ones(2).long()
        opt.step()
    with pytest.raises(RuntimeError, match="differentiable"):
        T.optim.Adam([T.nn.Parameter(T.ones(2))], fused=True, differentiable=True)
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        T.optim.Adam([T.nn.Parameter(T.ones(2))], fused=True, foreach=True)
    p = [T.ones(3)]
    common = dict(lr=0.1, beta1=0.9, beta2=0.999, weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False)
    with pytest.raises(RuntimeError, match="grads.size"):
        T._fused_adam_(p, [T.ones(3), T.ones(3)], [T.ones(3)], [T.ones(3)], [], [T.ones(())], **common)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        T._fused_adam_(p, [T.ones(3, dtype=T.float64)], [T.ones(3)], [T.ones(3)], [], [T.ones(())], **common)
    with pytest.raises(RuntimeError, match="shape"):
        T._fused_adam_(p, [T.ones(4)], [T.ones(3)], [T.ones(3)], [], [T.ones(())], **common)
    with pytest.raises(NotImplementedError):
        T._fused_adam_([], [], [], [], [], [], **common)


# ---- SGD ----------------------------------------------------------------------------------

SGD_CONFIGS = [{}, {"momentum": 0.9}, {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
               {"momentum": 0.9, "nesterov": True, "maximize": True}, {"weight_decay": 0.1, "maximize": True}]


@pytest.mark.parametrize("kwargs", SGD_CONFIGS)
def test_sgd_fused_and_default_match_torch(kwargs):
    fused, opt_m = _train(T, "SGD", fused=True, **kwargs)
    default, _ = _train(T, "SGD", **kwargs)
    ref, opt_t = _train(torch, "SGD", fused=True, **kwargs)
    loop, _ = _train(torch, "SGD", foreach=False, **kwargs)
    for f, d, r, lp in zip(fused, default, ref, loop):
        np.testing.assert_array_equal(_np(f), _np(d))
        np.testing.assert_allclose(_np(f), _np(r), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(_np(f), _np(lp), rtol=1e-6, atol=1e-6)
    if kwargs.get("momentum"):
        for p_m, p_t in zip(fused, ref):
            np.testing.assert_allclose(_np(opt_m.state[p_m]["momentum_buffer"]),
                                       opt_t.state[p_t]["momentum_buffer"].numpy(), rtol=1e-6, atol=1e-6)


def test_sgd_float16_matches_torchs_loop():
    # torch 2.13's own fused CPU SGD leaves float16 parameters unchanged in its vectorized
    # part (blocks of 16 elements), so PyTorch's per-tensor loop is the reference here.
    got, _ = _train(T, "SGD", dtype="float16", fused=True, momentum=0.9)
    ref, _ = _train(torch, "SGD", dtype="float16", foreach=False, momentum=0.9)
    for a, b in zip(got, ref):
        np.testing.assert_allclose(_np(a), _np(b), rtol=2e-3, atol=2e-3)


def test_sgd_buffers_start_per_parameter():
    # A parameter whose first gradient comes later starts its momentum buffer then.
    res = []
    for lib in (T, torch):
        ps = [lib.nn.Parameter(lib.tensor(a.copy())) for a in INIT]
        opt = lib.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.2, **({"foreach": False} if lib is torch else {}))
        for k in range(4):
            for j, (p, g) in enumerate(zip(ps, GRADS[k])):
                p.grad = None if (j == 2 and k < 2) else lib.tensor(g.copy())
            opt.step()
        res.append([_np(p) for p in ps] + [_np(opt.state[p]["momentum_buffer"]) for p in ps])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_sgd_grad_scaler_matches_torch():
    def run(lib):
        rs = np.random.default_rng(4)
        w = lib.tensor(rs.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
        x = lib.tensor(rs.standard_normal((6, 3)).astype(np.float32))
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9, fused=True)
        scaler = lib.amp.GradScaler("cpu", init_scale=2.0 ** 4, growth_interval=2)
        for i in range(6):
            opt.zero_grad()
            loss = ((x @ w) ** 2).mean() * (float("inf") if i == 2 else 1.0)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        return _np(w), scaler.get_scale()
    (w_m, s_m), (w_t, s_t) = run(T), run(torch)
    assert s_m == s_t
    np.testing.assert_allclose(w_m, w_t, rtol=1e-6, atol=1e-7)


def test_read_only_memory_raises_instead_of_faulting():
    # A storage root over read-only memory is never handed to a primitive that writes it:
    # the copy path's write-back raises NumPy's ValueError, as every in-place op does.
    from dispatch.tensor import Tensor
    ro = np.ones(5, np.float32)
    ro.setflags(write=False)
    with pytest.warns(UserWarning, match="not writable"):
        view = T.from_numpy(ro)
    root = Tensor._wrap(view._storage.root, view.dtype, view._storage)
    assert root._data is root._storage.root
    with pytest.raises(ValueError, match="read-only"):
        T._fused_adam_([root], [T.ones(5)], [T.zeros(5)], [T.zeros(5)], [], [T.tensor(1.0)], lr=0.1, beta1=0.9,
                       beta2=0.999, weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False)
    np.testing.assert_array_equal(ro, 1.0)
