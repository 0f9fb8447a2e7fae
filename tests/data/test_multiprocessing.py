"""torch.multiprocessing: tensors cross processes through shared memory and stay aliased.

Children are forked where the point is not the start method (a forked child starts in
milliseconds and runs the host backend); spawn is used where it is the point (a fresh
interpreter with its own MindSpore, ~4 s to start).  Every wait on a child is bounded.
"""
import gc
import os
import pickle
import signal
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest
import torch as real

import mstorch
from hookfixture import enabled  # noqa: F401  (fixture)
from mp_children import raise_on_last_rank, send_back_and_check, train_shared
from time_limit import time_limit

T = mstorch.torch
mp = T.multiprocessing
WAIT = 120  # seconds: bounds every get/join (a spawned child needs a few seconds to start)

real.set_num_threads(1)


@pytest.fixture(autouse=True)
def _time_limit():
    with time_limit(240):
        yield


def _join(*procs):
    for p in procs:
        p.join(WAIT)
        if p.is_alive():
            p.kill()
            p.join(5)
            pytest.fail(f"child {p.pid} did not finish within {WAIT} s")


# ---- children (module level: spawn pickles them by reference) ----------------------------
def _add_in_place(t, value):
    t.add_(value)


def _report_and_write(q, out):
    t, view = q.get(timeout=WAIT)
    out.put((type(t).__name__, t.requires_grad, t.is_shared(), view.is_shared(),
             view.data_ptr() - t.data_ptr()))
    with T.no_grad():
        view.fill_(7.0)  # through the view: the base sees it only if both map one storage
    out.put("written")


# ---- in one process -----------------------------------------------------------------------
def test_share_memory_moves_the_storage_and_every_alias_follows():
    for lib in (T, real):
        a = lib.arange(12.0).reshape(3, 4)
        row = a[1]
        p = lib.nn.Parameter(a.clone())
        assert not a.is_shared() and not a.untyped_storage().is_shared()
        assert a.share_memory_() is a
        assert a.is_shared() and row.is_shared() and a.untyped_storage().is_shared() and not p.is_shared()
    a = T.arange(12.0).reshape(3, 4)
    row, arr, alias = a[1], None, T.nn.Parameter(a)  # Parameter(a) shares a's storage
    a.share_memory_()
    arr = a.numpy()
    row.add_(100)
    arr[0, 0] = -5
    assert alias.is_shared() and alias.tolist() == a.tolist()
    assert a.tolist() == [[-5, 1, 2, 3], [104, 105, 106, 107], [8, 9, 10, 11]]
    assert (a @ a.t()).sum().item() == float((arr @ arr.T).sum())  # MindSpore kernels read the new buffer
    assert row.data_ptr() == a.data_ptr() + 4 * a.element_size()


def test_module_share_memory_shares_parameters_and_buffers():
    net = T.nn.Sequential(T.nn.Linear(3, 2), T.nn.BatchNorm1d(2))
    ref = real.nn.Sequential(real.nn.Linear(3, 2), real.nn.BatchNorm1d(2))
    assert net.share_memory() is net and ref.share_memory() is ref
    for mine, theirs in ((net.parameters(), ref.parameters()), (net.buffers(), ref.buffers())):
        theirs = [t.is_shared() for t in theirs]
        assert [t.is_shared() for t in mine] == theirs and all(theirs) and theirs
    out = net(T.ones(4, 3)).sum()
    out.backward()  # parameters in shared memory still train
    assert net[0].weight.grad is not None and not net[0].weight.grad.is_shared()


def test_sharing_strategies_as_pytorch():
    assert mp.get_all_sharing_strategies() == real.multiprocessing.get_all_sharing_strategies()
    assert mp.get_sharing_strategy() == real.multiprocessing.get_sharing_strategy() == "file_descriptor"
    with pytest.raises(AssertionError, match="invalid sharing strategy"):
        mp.set_sharing_strategy("carrier_pigeon")
    assert mp.Process is real.multiprocessing.Process  # Python's own, as in PyTorch


def test_importing_the_spawn_module_keeps_spawn_the_function(enabled):
    ns = {}
    exec("import torch.multiprocessing as mp\n"
         "from torch.multiprocessing.spawn import ProcessRaisedException\n"
         "import torch.multiprocessing.spawn as spawn_attr\n", ns)
    assert ns["mp"] is mp and ns["ProcessRaisedException"] is mp.ProcessRaisedException
    # PyTorch's package rebinds `spawn` to the function after importing its spawn module.
    assert callable(real.multiprocessing.spawn) and not isinstance(real.multiprocessing.spawn, type(os))
    assert ns["mp"].spawn is ns["spawn_attr"] is mp.start_processes.__globals__["spawn"]


def test_non_leaf_tensor_requiring_grad_is_refused():
    for lib in (T, real):
        x = lib.ones(2, requires_grad=True) * 2
        with pytest.raises(RuntimeError, match="Cowardly refusing to serialize non-leaf tensor"):
            ForkingPickler.dumps(x)


def test_plain_pickle_still_copies():
    a = T.ones(3)
    b = pickle.loads(pickle.dumps(a))
    b.add_(1)
    assert a.tolist() == [1, 1, 1] and not a.is_shared()


# ---- across processes ---------------------------------------------------------------------
def test_fork_process_argument_and_queue_alias_the_parents_memory():
    w = T.randn(64, 64)
    (w @ w).sum().item()  # the parent's MindSpore has run ops: a forked child must not call it
    T.nn.functional.conv2d(T.randn(1, 1, 6, 6), T.randn(1, 1, 3, 3)).sum().item()
    ctx = mp.get_context("fork")
    a = T.zeros(4).share_memory_()
    p = ctx.Process(target=_add_in_place, args=(a, 3.0))
    p.start()
    _join(p)
    assert p.exitcode == 0 and a.tolist() == [3, 3, 3, 3]

    q, out = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=_report_and_write, args=(q, out))
    p.start()
    base = T.nn.Parameter(T.ones(2, 3))  # not shared yet: sending it moves it to shared memory
    q.put((base, base.detach()[1]))
    assert out.get(timeout=WAIT) == ("Parameter", True, True, True, 3 * 4)
    assert out.get(timeout=WAIT) == "written"
    _join(p)
    assert base.is_shared() and base.tolist() == [[1, 1, 1], [7, 7, 7]]


def _describe(q, out):
    out.put([(str(t.dtype), tuple(t.shape), t.stride(), t.is_shared(), t.float().tolist()) for t in q.get(timeout=WAIT)])


def test_dtypes_empty_scalar_and_strided_tensors_cross_intact():
    ts = [T.zeros(0), T.arange(5), T.tensor([True, False]), T.ones(2, 2, dtype=T.bfloat16),
          T.ones(3, dtype=T.float16), T.tensor(3.5), T.arange(12.0).reshape(3, 4).t()]
    expected = [(str(t.dtype), tuple(t.shape), t.stride(), True, t.float().tolist()) for t in ts]
    ctx = mp.get_context("fork")
    q, out = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=_describe, args=(q, out))
    p.start()
    q.put(ts)
    try:
        assert out.get(timeout=WAIT) == expected
    finally:
        _join(p)


def test_file_system_strategy_names_a_file_that_goes_with_the_storage():
    mp.set_sharing_strategy("file_system")
    try:
        a = T.zeros(3).share_memory_()
        name = a._storage.shared.name
        assert os.path.exists(f"/dev/shm/{name}")
        ctx = mp.get_context("fork")
        q = ctx.SimpleQueue()
        q.put(a)
        b = q.get()  # received back in the creating process: the same storage
        assert b.untyped_storage() is a.untyped_storage()
        p = ctx.Process(target=_add_in_place, args=(a, 2.0))
        p.start()
        _join(p)
        assert b.tolist() == [2, 2, 2]
    finally:
        mp.set_sharing_strategy("file_descriptor")
    del a, b
    gc.collect()
    assert not os.path.exists(f"/dev/shm/{name}")


def test_spawned_child_shares_arguments_and_what_it_sends():
    ctx = mp.get_context("spawn")
    arg = T.zeros(3)  # not shared yet: starting a spawned child moves it, as PyTorch does
    q, ack, out = ctx.Queue(), ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=send_back_and_check, args=(arg, q, ack, out))
    p.start()
    try:
        t, col = q.get(timeout=WAIT)
        assert t.is_shared() and col.untyped_storage() is t.untyped_storage()
        col.mul_(10)  # the child's memory, written here through a view
        assert (t @ t.t())[0, 0].item() == 0 + 100 + 4  # MindSpore kernels in the parent read it too
        ack.put(1)
        assert out.get(timeout=WAIT) == [[0, 10, 2], [3, 40, 5]]
    finally:
        _join(p)
    assert arg.is_shared() and arg.tolist() == [5, 5, 5]


def test_spawn_children_train_a_shared_model_and_the_parent_sees_it():
    """Hogwild in small: two spawned children (fresh interpreters running MindSpore) train
    the parent's model through spawn(); SGD steps on a constant gradient compose exactly."""
    T.manual_seed(0)
    model = T.nn.Linear(3, 1)
    model.share_memory()
    w0, b0 = model.weight.detach().clone(), model.bias.detach().clone()
    ctx = mp.get_context("spawn")
    lock, start = ctx.Lock(), ctx.Barrier(2)
    mp.spawn(train_shared, args=(model, 3, lock, start), nprocs=2)
    # d(sum(x @ w.T + b))/dw = x: rank r contributes 3 steps of -0.1 * (r + 1) per weight.
    np.testing.assert_allclose(model.weight.detach().numpy(), w0.numpy() - 0.1 * 3 * (1 + 2), rtol=1e-6)
    np.testing.assert_allclose(model.bias.detach().numpy(), b0.numpy() - 0.1 * 3 * 2, rtol=1e-6)


def test_forked_hogwild_conv_training_does_not_hang():
    """Two forked children train a conv net racing on shared weights (PyTorch's default
    start method): they run on the host backend and must finish, and move the weights."""
    T.manual_seed(0)
    net = T.nn.Sequential(T.nn.Conv2d(1, 4, 3), T.nn.ReLU(), T.nn.MaxPool2d(2), T.nn.Flatten(),
                          T.nn.Dropout(), T.nn.Linear(4 * 3 * 3, 3), T.nn.LogSoftmax(dim=1))
    net(T.randn(2, 1, 8, 8)).sum().item()  # MindSpore has run in the parent
    net.share_memory()
    before = [p.detach().clone() for p in net.parameters()]
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_hogwild_steps, args=(net, rank)) for rank in range(2)]
    for p in procs:
        p.start()
    _join(*procs)
    assert [p.exitcode for p in procs] == [0, 0]
    assert all(not T.equal(b, p.detach()) for b, p in zip(before, net.parameters()))


def _hogwild_steps(net, rank):
    T.manual_seed(rank)
    opt = T.optim.SGD(net.parameters(), lr=0.05, momentum=0.5)
    x, y = T.randn(8, 1, 8, 8), T.randint(0, 3, (8,))
    for _ in range(4):
        opt.zero_grad()
        T.nn.functional.nll_loss(net(x), y).backward()
        opt.step()


def _square_sum(t):
    return (t * t).sum().item()


def test_fork_pool_maps_over_tensors():
    T.randn(8, 8).sum().item()
    with mp.get_context("fork").Pool(2) as pool:
        got = pool.map_async(_square_sum, [T.full((3,), float(i)) for i in range(4)]).get(WAIT)
    assert got == [0.0, 3.0, 12.0, 27.0]


# ---- spawn / start_processes errors -------------------------------------------------------
def _exit_with_3(rank):
    os._exit(3)


def _kill_self(rank):
    os.kill(os.getpid(), signal.SIGKILL)


def test_start_processes_propagates_a_child_exception():
    with pytest.raises(mp.ProcessRaisedException) as err:
        mp.start_processes(raise_on_last_rank, args=(2,), nprocs=2, start_method="fork")
    e = err.value
    assert e.error_index == 1 and "-- Process 1 terminated with the following error:" in str(e)
    assert "ValueError: rank 1 is unhappy" in str(e) and "Traceback" in str(e)
    back = pickle.loads(pickle.dumps(e))  # crosses processes itself, as PyTorch's does
    assert type(back) is mp.ProcessRaisedException and (back.msg, back.error_index, back.error_pid) == \
        (e.msg, e.error_index, e.error_pid)


def test_start_processes_reports_exit_codes_and_signals():
    with pytest.raises(mp.ProcessExitedException, match="process 0 terminated with exit code 3") as err:
        mp.start_processes(_exit_with_3, nprocs=1, start_method="fork")
    assert err.value.exit_code == 3 and err.value.signal_name is None
    with pytest.raises(mp.ProcessExitedException, match="process 0 terminated with signal SIGKILL") as err:
        mp.start_processes(_kill_self, nprocs=1, start_method="fork")
    assert err.value.exit_code == -signal.SIGKILL and err.value.signal_name == "SIGKILL"


def test_process_context_join_without_blocking():
    ctx = mp.start_processes(_exit_with_0, nprocs=2, join=False, start_method="fork")
    assert isinstance(ctx, mp.ProcessContext) and len(ctx.pids()) == 2
    deadline = WAIT
    while not ctx.join(timeout=1):
        deadline -= 1
        assert deadline > 0
    assert ctx.join() is True


def _exit_with_0(rank):
    pass


def test_spawn_propagates_a_child_exception_and_warns_for_another_start_method():
    with pytest.warns(FutureWarning, match="only supports start_method=spawn"):
        with pytest.raises(mp.ProcessRaisedException, match="rank 0 is unhappy") as err:
            mp.spawn(raise_on_last_rank, args=(1,), nprocs=1, start_method="fork")
    assert err.value.error_index == 0 and "-- Process 0 terminated with the following error:" in str(err.value)
