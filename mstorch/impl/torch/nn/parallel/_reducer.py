"""The gradient reducer of DistributedDataParallel.

Each parameter gets a post-accumulate-grad hook. When backward has accumulated a parameter's
gradient the hook marks it ready; when every parameter of a bucket is ready the bucket is
flattened and handed to an asynchronous averaging all-reduce — buckets are
launched strictly in order, so every rank issues the same collectives in the same order.
When the last bucket is launched the reducer waits for all of them and writes the averaged
gradients back into `.grad` (PyTorch queues this as the engine's final callback; here it runs
in the last hook, after the last gradient DDP owns has been accumulated).

With `find_unused_parameters` the autograd graph of the forward's outputs is searched for the
parameters it reaches; the others are marked ready (with their current `.grad` or zeros) at
the first hook, and a map of which parameters each rank used is all-reduced so that a
parameter no rank used keeps its `.grad` untouched.

Without unused-parameter search the first iteration reduces everything in one bucket and the
buckets are then rebuilt in the order the gradients became ready on rank 0 (PyTorch's
rebuild), with the 1 MiB first bucket and `bucket_cap_mb` limits.
"""
from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.nn.parallel import _buckets

_UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. This error "
    "indicates that your module has parameters that were not used in producing loss. You can enable unused "
    "parameter detection by passing the keyword argument `find_unused_parameters=True` to "
    "`torch.nn.parallel.DistributedDataParallel`, and by making sure all `forward` function outputs "
    "participate in calculating loss.")


def reachable_parameters(outputs):
    """ids of the leaf tensors whose AccumulateGrad nodes the outputs' graph reaches."""
    found, seen = set(), set()
    stack = [t.grad_fn for t in outputs if isinstance(t, torch.Tensor) and t.grad_fn is not None]
    for t in outputs:
        if isinstance(t, torch.Tensor) and t.grad_fn is None and t.requires_grad:
            found.add(id(t))
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        variable = getattr(node, "variable", None)
        if variable is not None:
            found.add(id(variable))
        for nxt, _ in node.next_functions:
            if nxt is not None and id(nxt) not in seen:
                stack.append(nxt)
    return found


class _Bucket:
    def __init__(self, indices):
        self.indices = list(indices)
        self.pending = len(self.indices)
        self.flat = None
        self.work = None


class Reducer:
    def __init__(self, params, config, process_group, find_unused_parameters, static_graph):
        self.params = params
        self.config = config
        self.group = process_group
        self.world_size = torch.distributed.get_world_size(process_group)
        self.find_unused = find_unused_parameters
        self.static_graph = static_graph
        self.should_rebuild = not find_unused_parameters or static_graph
        self._set_buckets(_buckets.assign_by_size(params, config.initial_limits(static_graph, find_unused_parameters)),
                          reverse=True)
        self.expect_hooks = False
        self.require_finalize = False
        self.ready = [False] * len(params)
        self.unused = []
        self.marked_unused = False
        self.locally_used = [False] * len(params)
        self.ready_order = []
        self.rebuild_order = None
        self.num_iterations = 0
        self.next_bucket = 0
        self.hook_handles = [p.register_post_accumulate_grad_hook(self._hook_for(i))
                             for i, p in enumerate(params)]

    def _set_buckets(self, assignment, reverse):
        # PyTorch reverses the construction-time buckets: the last parameters' gradients are
        # produced first; rebuilt buckets are already in ready order.
        self.buckets = [_Bucket(ix) for ix in (reversed(assignment) if reverse else assignment)]
        self.bucket_of = {}
        for b in self.buckets:
            for i in b.indices:
                self.bucket_of[i] = b

    def bucket_indices(self):
        return [list(b.indices) for b in self.buckets]

    def _hook_for(self, index):
        def hook(param):
            self._autograd_hook(index)
        return hook

    # --- iteration bookkeeping --------------------------------------------------------------

    def ensure_prior_reduction_finished(self):
        if self.require_finalize:
            raise RuntimeError(_UNFINISHED)

    def rebuild_buckets(self):
        """Rebuild once, at the forward after the first synchronised backward. True if rebuilt."""
        self.ensure_prior_reduction_finished()
        if not self.should_rebuild or self.rebuild_order is None:
            return False
        order = self.rebuild_order
        seen = set(order)
        order = order + [i for i in range(len(self.params)) if i not in seen]
        self.rebuild_order = None
        self.should_rebuild = False
        # All ranks must bucket alike: use rank 0's ready order.
        ordered = torch.tensor(order, dtype=torch.int64)
        torch.distributed.broadcast(ordered, src=_group_src(self.group), group=self.group)
        order = [int(i) for i in ordered.tolist()]
        params = [self.params[i] for i in order]
        self._set_buckets(_buckets.assign_by_size(params, self.config.rebuild_limits(), indices=order), reverse=False)
        return True

    def prepare_for_backward(self, outputs):
        self.num_iterations += 1
        self.expect_hooks = True
        self.ready = [False] * len(self.params)
        self.locally_used = [False] * len(self.params)
        self.ready_order = []
        self.marked_unused = False
        self.next_bucket = 0
        for b in self.buckets:
            b.pending, b.flat, b.work = len(b.indices), None, None
        self.unused = []
        if self.find_unused or self.static_graph:
            reached = reachable_parameters(outputs)
            self.unused = [i for i, p in enumerate(self.params) if id(p) not in reached]

    # --- backward ---------------------------------------------------------------------------

    def _autograd_hook(self, index):
        if not self.expect_hooks:
            return
        if (self.find_unused or self.static_graph) and not self.marked_unused:
            self.marked_unused = True
            for u in self.unused:
                self._mark_ready(u)
        self.locally_used[index] = True
        self.ready_order.append(index)
        self._mark_ready(index)

    def _mark_ready(self, index):
        if self.ready[index]:
            raise RuntimeError(
                f"Expected to mark a variable ready only once. This error is caused by one of the following "
                f"reasons: 1) Use of a module parameter outside the `forward` function. 2) Reused parameters in "
                f"multiple reentrant backward passes. Parameter at index {index} has been marked as ready twice.")
        self.ready[index] = True
        self.require_finalize = True
        bucket = self.bucket_of[index]
        bucket.pending -= 1
        if bucket.pending:
            return
        while self.next_bucket < len(self.buckets) and self.buckets[self.next_bucket].pending == 0:
            self._launch(self.buckets[self.next_bucket])
            self.next_bucket += 1
        if self.next_bucket == len(self.buckets):
            self._finalize()

    def _launch(self, bucket):
        grads = []
        for i in bucket.indices:
            p = self.params[i]
            grads.append(p.grad if p.grad is not None else torch.zeros_like(p))
        with torch.no_grad():
            flat = _buckets.flatten(grads)
        bucket.flat = flat
        # PyTorch divides by the world size, then sums; MindSpore's collectives average in the
        # same pass (for a power-of-two world the two are bitwise equal: the scaling is exact).
        bucket.work = torch.distributed.all_reduce(flat, op=torch.distributed.ReduceOp.AVG, group=self.group,
                                                   async_op=True)

    def _finalize(self):
        self.expect_hooks = False
        globally_used = None
        if self.find_unused or self.static_graph:
            used = torch.tensor([1 if u else 0 for u in self.locally_used], dtype=torch.int32)
            torch.distributed.all_reduce(used, group=self.group)
            globally_used = [bool(v) for v in used.tolist()]
        with torch.no_grad():
            for bucket in self.buckets:
                bucket.work.wait()
                offset = 0
                for i in bucket.indices:
                    p = self.params[i]
                    n = p.numel()
                    if globally_used is None or globally_used[i]:
                        value = bucket.flat[offset:offset + n].view_as(p)
                        if p.grad is None:
                            p.grad = value.clone()
                        else:
                            p.grad.copy_(value)
                    offset += n
                bucket.flat = bucket.work = None
        if self.should_rebuild and self.rebuild_order is None:
            self.rebuild_order = list(self.ready_order)
        self.require_finalize = False

    def remove_hooks(self):
        for h in self.hook_handles:
            h.remove()
        self.hook_handles = []


def _group_src(group):
    dist = torch.distributed
    if group is None or group is dist.group.WORLD:
        return 0
    return dist.get_global_rank(group, 0)
