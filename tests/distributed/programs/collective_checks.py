"""Every torch.distributed collective, on each rank of a 2-process job; writes what it
saw to OUT/rank<R>.json. tests/distributed/test_collectives.py runs it under mstorch's
torchrun and under real PyTorch's (gloo) and compares the two files per rank.

Usage: torchrun --nproc_per_node=2 collective_checks.py OUT
Checks that PyTorch's gloo cannot run (ReduceOp.AVG) are marked "mstorch_only": the test
compares them with the values written here by hand.
"""
import json
import os
import sys
import time
import traceback

t_start = time.time()
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402

OUT = sys.argv[1]
results = {}


def check(name):
    def run(fn):
        try:
            results[name] = fn()
        except Exception as exc:  # noqa: BLE001 - the error type is part of what is compared
            results[name] = {"error": type(exc).__name__, "message": str(exc)[:300],
                             "trace": traceback.format_exc()[-1500:]}
        return fn
    return run


def val(t):
    return {"dtype": str(t.dtype), "shape": list(t.shape), "values": t.tolist()}


t0 = time.time()
dist.init_process_group("gloo")
init_s = time.time() - t0
R, N = dist.get_rank(), dist.get_world_size()
results["env"] = {k: os.environ.get(k) for k in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE",
                                                  "GROUP_RANK", "ROLE_RANK", "ROLE_NAME", "GROUP_WORLD_SIZE")}
results["env"]["has_master"] = bool(os.environ.get("MASTER_ADDR")) and bool(os.environ.get("MASTER_PORT"))
results["env"]["has_run_id"] = bool(os.environ.get("TORCHELASTIC_RUN_ID"))
results["queries"] = {"available": dist.is_available(), "initialized": dist.is_initialized(), "rank": R,
                      "world": N, "backend": dist.get_backend(), "world_group": dist.group.WORLD is not None,
                      "elastic": dist.is_torchelastic_launched(),
                      "ranks": dist.get_process_group_ranks(dist.group.WORLD)}

OPS = {"sum": dist.ReduceOp.SUM, "prod": dist.ReduceOp.PRODUCT, "min": dist.ReduceOp.MIN, "max": dist.ReduceOp.MAX}
for dtype in (torch.float32, torch.float64, torch.int64, torch.int32, torch.float16, torch.uint8, torch.bool):
    for name, op in OPS.items():
        @check(f"all_reduce_{name}_{str(dtype)[6:]}")
        def _(dtype=dtype, op=op):
            if dtype == torch.bool:
                t = torch.tensor([R == 0, True, False, R == 1])
            else:
                t = (torch.tensor([1, 2, 3, 4]) * (R + 1) + torch.tensor([0, R, 2 * R, 0])).to(dtype)
            assert dist.all_reduce(t, op=op) is None
            return val(t)


@check("all_reduce_view_column")
def _():
    base = torch.arange(12.).reshape(3, 4) * (R + 1)
    col = base[:, 1]
    dist.all_reduce(col)
    return {"base": val(base), "col": val(col)}


@check("all_reduce_view_strided")
def _():
    base = torch.arange(10.) + 10 * R
    dist.all_reduce(base[1::3], op=dist.ReduceOp.MAX)
    return val(base)


@check("all_reduce_0d")
def _():
    t = torch.tensor(float(R + 2))
    dist.all_reduce(t, op=dist.ReduceOp.PRODUCT)
    return val(t)


@check("all_reduce_empty")
def _():
    t = torch.zeros(0, 3)
    dist.all_reduce(t)
    return val(t)


@check("all_reduce_async")
def _():
    t = torch.ones(3) * (R + 1)
    work = dist.all_reduce(t, async_op=True)
    ok = work.wait()
    return {**val(t), "wait": ok, "completed": work.is_completed()}


@check("all_reduce_avg")
def _():
    t = torch.tensor([1.0, 4.0]) * (R + 1)
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    return val(t)


@check("all_reduce_bad_arg")
def _():
    dist.all_reduce([1, 2])


for src in (0, 1):
    @check(f"broadcast_src{src}")
    def _(src=src):
        t = torch.arange(4, dtype=torch.float64) + 100 * R
        dist.broadcast(t, src=src)
        return val(t)


@check("broadcast_view_bool")
def _():
    base = torch.tensor([[R == 0, False], [True, R == 1]])
    dist.broadcast(base[:, 0], src=1)
    return val(base)


@check("broadcast_async")
def _():
    t = torch.full((2,), float(R))
    w = dist.broadcast(t, src=1, async_op=True)
    ok = w.wait()
    return {**val(t), "wait": ok}


@check("all_gather")
def _():
    outs = [torch.zeros(2, 2, dtype=torch.int64) for _ in range(N)]
    dist.all_gather(outs, torch.tensor([[R, 1], [2, 3 * R]]))
    return [val(o) for o in outs]


@check("all_gather_into_tensor")
def _():
    out = torch.zeros(N * 3)
    dist.all_gather_into_tensor(out, torch.tensor([R, R + 0.5, -R]))
    return val(out)


@check("all_gather_into_tensor_stacked")
def _():
    out = torch.zeros(N, 2, dtype=torch.float64)
    dist.all_gather_into_tensor(out, torch.tensor([R, 7.0], dtype=torch.float64))
    return val(out)


@check("reduce_scatter")
def _():
    out = torch.zeros(2)
    dist.reduce_scatter(out, [torch.tensor([1.0, 2.0]) * (R + 1) + i for i in range(N)])
    return val(out)


@check("reduce_scatter_tensor")
def _():
    out = torch.zeros(2, dtype=torch.int64)
    dist.reduce_scatter_tensor(out, torch.arange(2 * N) * (R + 1))
    return val(out)


@check("reduce_scatter_tensor_max")
def _():
    out = torch.zeros(2)
    dist.reduce_scatter_tensor(out, torch.tensor([1.0, 5.0, 3.0, 2.0]) * (1 - 2 * R), op=dist.ReduceOp.MAX)
    return val(out)


for dst in (0, 1):
    @check(f"reduce_dst{dst}")
    def _(dst=dst):
        t = torch.tensor([1.0, 2.0]) * (R + 2)
        dist.reduce(t, dst=dst)
        return val(t) if R == dst else "not-dst"


@check("gather")
def _():
    t = torch.tensor([R, R * 10], dtype=torch.int32)
    gl = [torch.zeros(2, dtype=torch.int32) for _ in range(N)] if R == 1 else None
    dist.gather(t, gl, dst=1)
    return [val(g) for g in gl] if gl else None


@check("scatter")
def _():
    t = torch.zeros(3)
    sl = [torch.full((3,), 5.0 + i) for i in range(N)] if R == 0 else None
    dist.scatter(t, sl, src=0)
    return val(t)


@check("all_to_all")
def _():
    outs = [torch.zeros(2) for _ in range(N)]
    dist.all_to_all(outs, [torch.tensor([10.0 * R + i, -1.0]) for i in range(N)])
    return [val(o) for o in outs]


@check("all_to_all_single")
def _():
    out = torch.zeros(2 * N, dtype=torch.int64)
    dist.all_to_all_single(out, torch.arange(2 * N) + 100 * R)
    return val(out)


@check("all_to_all_single_uneven")
def _():
    # rank 0 sends 1 row to 0 and 2 rows to 1; rank 1 sends 3 rows to 0 and 1 row to 1
    in_splits = [[1, 2], [3, 1]][R]
    out_splits = [[1, 3], [2, 1]][R]
    inp = torch.arange(sum(in_splits) * 2, dtype=torch.float32).reshape(-1, 2) + 100 * R
    out = torch.zeros(sum(out_splits), 2)
    dist.all_to_all_single(out, inp, out_splits, in_splits)
    return val(out)


@check("send_recv")
def _():
    if R == 0:
        dist.send(torch.tensor([3.0, 1.0, 4.0]), dst=1)
        t = torch.zeros(2, dtype=torch.int64)
        src = dist.recv(t, src=1)
        return {**val(t), "src": src}
    t = torch.zeros(3)
    src = dist.recv(t, src=0)
    dist.send(torch.tensor([27, 18]), dst=0)
    return {**val(t), "src": src}


@check("isend_irecv_exchange")
def _():
    mine, theirs = torch.full((2,), float(R + 1)), torch.zeros(2)
    reqs = [dist.isend(mine, dst=1 - R), dist.irecv(theirs, src=1 - R)]
    done = [r.wait() for r in reqs]
    return {**val(theirs), "wait": done}


@check("barrier")
def _():
    return dist.barrier()


@check("barrier_async")
def _():
    return dist.barrier(async_op=True).wait()


@check("all_gather_object")
def _():
    objs = [None] * N
    dist.all_gather_object(objs, {"rank": R, "text": "x" * (R * 5), "tuple": (R, [1, 2])})
    return repr(objs)


@check("broadcast_object_list")
def _():
    objs = [{"from": R}, "s" * (R + 1), None] if R == 1 else [None, None, None]
    dist.broadcast_object_list(objs, src=1)
    return repr(objs)


@check("gather_object")
def _():
    out = [None] * N if R == 0 else None
    dist.gather_object(("obj", R), out, dst=0)
    return repr(out)


@check("scatter_object_list")
def _():
    out = [None]
    dist.scatter_object_list(out, [{"for": i} for i in range(N)] if R == 0 else None, src=0)
    return repr(out)


@check("new_group_world")
def _():
    g = dist.new_group([0, 1])
    t = torch.tensor([float(R + 1)])
    dist.all_reduce(t, group=g)
    return {**val(t), "size": dist.get_world_size(g), "rank": dist.get_rank(g), "backend": dist.get_backend(g)}


@check("new_group_single")
def _():
    g = dist.new_group([1])
    if R != 1:
        return {"member": False, "rank": dist.get_rank(g), "size": dist.get_world_size(g),
                "skipped": dist.all_reduce(torch.ones(1), group=g)}
    t = torch.tensor([5.0])
    dist.all_reduce(t, group=g)
    return {"member": True, **val(t), "rank": dist.get_rank(g), "size": dist.get_world_size(g),
            "global": dist.get_global_rank(g, 0)}


@check("bad_reduce_op")
def _():
    dist.all_reduce(torch.ones(1), op="not an op")


dist.barrier()
dist.destroy_process_group()
results["after_destroy"] = {"initialized": dist.is_initialized()}
results["timing"] = {"init_s": init_s, "total_s": time.time() - t_start}
with open(os.path.join(OUT, f"rank{R}.json"), "w") as f:
    json.dump(results, f, indent=1, sort_keys=True)
