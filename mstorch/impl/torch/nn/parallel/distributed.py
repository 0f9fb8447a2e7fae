"""torch.nn.parallel.DistributedDataParallel on torch.distributed (MindSpore's collectives).

At construction the parameters and buffers of rank 0 are broadcast to every rank; during
backward the gradients are averaged by the bucketed asynchronous all-reduce of `_reducer`;
before each forward the buffers are broadcast from rank 0 again (`broadcast_buffers`).
`no_sync()` skips the reduction so gradients accumulate locally until the next synchronised
backward. The wrapped module is `.module`, so `state_dict()` keys carry the `module.` prefix.

What DDP offers beyond that and mstorch does not implement (communication hooks, join for
uneven inputs, gradients as bucket views, mixed precision, device meshes) raises
NotImplementedError naming itself.
"""
import contextlib
import itertools
import warnings
from dataclasses import fields, is_dataclass

from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.nn.modules.module import Module
from mstorch.impl.torch.nn.parallel import _buckets
from mstorch.impl.torch.nn.parallel._reducer import Reducer, _group_src

BROADCAST_BUCKET_BYTES = 250 * 1024 * 1024


def _unsupported(what):
    return NotImplementedError(f"mstorch: torch.nn.parallel.DistributedDataParallel({what}) is not supported")


def _unsupported_method(name, what):
    return NotImplementedError(f"mstorch: DistributedDataParallel.{name} ({what}) is not supported")


def _find_tensors(obj):
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return list(itertools.chain.from_iterable(map(_find_tensors, obj)))
    if isinstance(obj, dict):
        return list(itertools.chain.from_iterable(map(_find_tensors, obj.values())))
    if is_dataclass(obj) and not isinstance(obj, type):
        return list(itertools.chain.from_iterable(_find_tensors(getattr(obj, f.name)) for f in fields(obj)))
    return []


def _broadcast_coalesced(tensors, group, src, bucket_bytes=BROADCAST_BUCKET_BYTES):
    """Broadcast `tensors` from `src`, flattened into a few messages per dtype, and write them back in place."""
    dist = torch.distributed
    by_dtype = {}
    for t in tensors:
        by_dtype.setdefault(t.dtype, []).append(t)
    with torch.no_grad():
        for group_tensors in by_dtype.values():
            chunk, size = [], 0
            for t in group_tensors + [None]:
                if t is not None:
                    chunk.append(t)
                    size += t.numel() * t.element_size()
                if chunk and (t is None or size >= bucket_bytes):
                    flat = _buckets.flatten(chunk)
                    dist.broadcast(flat, src=src, group=group)
                    _buckets.unflatten_into(flat, chunk)
                    chunk, size = [], 0


def _uses_cuda_served_by_cpu():
    from dispatch.devices import cuda_to_cpu
    return cuda_to_cpu()


class DistributedDataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=None, init_sync=True,
                 process_group=None, bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False, delay_all_reduce_named_params=None,
                 param_to_hook_all_reduce=None, mixed_precision=None, device_mesh=None,
                 skip_all_reduce_unused_params=False, bucket_cap_mb_list=None, batched_grad_copy=False,
                 forward_sync_buffers=None):
        super().__init__()
        dist = torch.distributed
        if (delay_all_reduce_named_params is None) != (param_to_hook_all_reduce is None):
            raise ValueError("delay_all_reduce_named_params and param_to_hook_all_reduce need to be set at the "
                             "same time.")
        if process_group is not None and device_mesh is not None:
            raise RuntimeError("Cannot specify both process_group and device_mesh arguments.")
        for name, value, default in (("device_mesh", device_mesh, None), ("mixed_precision", mixed_precision, None),
                                     ("delay_all_reduce_named_params", delay_all_reduce_named_params, None),
                                     ("gradient_as_bucket_view", gradient_as_bucket_view, False),
                                     ("skip_all_reduce_unused_params", skip_all_reduce_unused_params, False),
                                     ("batched_grad_copy", batched_grad_copy, False)):
            if value is not default and value != default:
                raise _unsupported(f"{name}={value!r}")
        if process_group is None:
            if not (dist.is_available() and dist.is_initialized()):
                raise ValueError("Default process group has not been initialized, please make sure to call "
                                 "init_process_group.")
            process_group = dist.group.WORLD
        self.process_group = process_group
        ignore = set(getattr(module, "_ddp_params_and_buffers_to_ignore", ()))
        self.parameters_to_ignore = ignore
        self._module_parameters = [p for n, p in module.named_parameters() if n not in ignore]
        if not any(p.requires_grad for p in self._module_parameters):
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have any parameter "
                               "that requires a gradient.")
        if device_ids is not None and len(device_ids) > 1:
            raise ValueError("device_ids can only be None or contain a single element.")
        device_types = {p.device.type for p in self._module_parameters}
        if len(device_types) != 1:
            raise ValueError("DistributedDataParallel's input module must be on the same type of devices, but "
                             f"input module parameters locate in {device_types}.")
        self.device_type = next(iter(device_types))
        self.is_multi_device_module = len({p.device for p in self._module_parameters}) > 1
        if not device_ids or self.is_multi_device_module or (self.device_type == "cpu"
                                                             and not _uses_cuda_served_by_cpu()):
            if device_ids or output_device:
                raise ValueError(
                    "DistributedDataParallel device_ids and output_device arguments only work with "
                    "single-device/multiple-device GPU modules or CPU modules, but got device_ids "
                    f"{device_ids}, output_device {output_device}, and module parameters "
                    f"{ {p.device for p in self._module_parameters} }.")
            self.device_ids = self.output_device = None
        else:
            # A GPU module (or, under --cuda-to-cpu, a CUDA program's module served by the CPU).
            self.device_ids = [torch.device(d).index if not isinstance(d, int) else d for d in device_ids]
            self.output_device = self.device_ids[0] if output_device is None else output_device
        self.static_graph = static_graph
        self.dim = dim
        self.module = module
        self.device = self._module_parameters[0].device
        if broadcast_buffers is not None:
            warnings.warn("`broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead. IMPORTANT: unlike "
                          "`broadcast_buffers=False`, `forward_sync_buffers=False` still syncs buffers at init. If "
                          "you rely on buffers NOT being synced at init (e.g. rank-local buffers), keep using "
                          "`broadcast_buffers=False` until `init_sync_buffers` is available.", FutureWarning,
                          stacklevel=2)
        if forward_sync_buffers is not None:
            self.forward_sync_buffers, init_sync_buffers = forward_sync_buffers, True
        else:
            effective = True if broadcast_buffers is None else broadcast_buffers
            self.forward_sync_buffers = init_sync_buffers = effective
        self.find_unused_parameters = find_unused_parameters
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.mixed_precision = None
        if check_reduction:
            warnings.warn("The `check_reduction` argument in `DistributedDataParallel` module is deprecated. "
                          "Please avoid using it.", FutureWarning, stacklevel=2)
        for p in self._module_parameters:
            if isinstance(p, torch.nn.parameter.UninitializedParameter):
                raise RuntimeError("Modules with uninitialized parameters can't be used with "
                                   "`DistributedDataParallel`. Run a dummy forward pass to correctly initialize "
                                   "the modules")
        self.broadcast_bucket_size = BROADCAST_BUCKET_BYTES
        self._bucket_config = _buckets.BucketConfig(bucket_cap_mb, bucket_cap_mb_list)
        self.bucket_bytes_cap = self._bucket_config.bucket_bytes_cap
        self._src = _group_src(process_group)
        params = [p for p in self._module_parameters if p.requires_grad]
        if init_sync:
            self._verify_param_shapes(params)
            states = [p.detach() for p in self._module_parameters]
            if init_sync_buffers:
                states += [b.detach() for n, b in module.named_buffers() if n not in ignore]
            if states:
                _broadcast_coalesced(states, process_group, self._src)
        self.reducer = Reducer(params, self._bucket_config, process_group, find_unused_parameters, static_graph)

    def _verify_param_shapes(self, params):
        """Every rank must hold the same parameter shapes (PyTorch checks before broadcasting)."""
        dist = torch.distributed
        local = torch.tensor([len(params)] + [s for p in params for s in (p.dim(), *p.shape)], dtype=torch.int64)
        size = torch.tensor([local.numel()], dtype=torch.int64)
        sizes = [torch.zeros_like(size) for _ in range(dist.get_world_size(self.process_group))]
        dist.all_gather(sizes, size, group=self.process_group)
        if len({int(s.item()) for s in sizes}) == 1:
            gathered = [torch.zeros_like(local) for _ in sizes]
            dist.all_gather(gathered, local, group=self.process_group)
            if all(torch.equal(g, local) for g in gathered):
                return
        raise RuntimeError("DDP expects same model across all ranks, but the parameter shapes of this rank differ "
                           "from another rank's.")

    # --- forward ----------------------------------------------------------------------------

    def _sync_buffers(self):
        buffers = [b for n, b in self.module.named_buffers() if n not in self.parameters_to_ignore]
        if buffers:
            _broadcast_coalesced(buffers, self.process_group, self._src)

    def will_sync_module_buffers(self):
        return (self.require_forward_param_sync and self.forward_sync_buffers
                and any(True for n, _ in self.module.named_buffers() if n not in self.parameters_to_ignore))

    def _pre_forward(self, *inputs, **kwargs):
        grad_enabled = torch.is_grad_enabled()
        if grad_enabled:
            self.reducer.rebuild_buckets()
        if self.will_sync_module_buffers():
            self._sync_buffers()
        return inputs, kwargs

    def _post_forward(self, output):
        if torch.is_grad_enabled() and self.require_backward_grad_sync:
            self.require_forward_param_sync = True
            search = self.find_unused_parameters or self.static_graph
            self.reducer.prepare_for_backward(_find_tensors(output) if search else [])
        else:
            self.require_forward_param_sync = False
        return output

    def forward(self, *inputs, **kwargs):
        inputs, kwargs = self._pre_forward(*inputs, **kwargs)
        return self._post_forward(self.module(*inputs, **kwargs))

    @contextlib.contextmanager
    def no_sync(self):
        """Within this context gradients accumulate locally; the first synchronised backward after it averages them."""
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    def train(self, mode=True):
        super().train(mode)
        return self

    def _get_ddp_logging_data(self):
        return {"world_size": torch.distributed.get_world_size(self.process_group),
                "bucket_cap_bytes": self.bucket_bytes_cap, "find_unused_parameters": self.find_unused_parameters,
                "static_graph": self.static_graph, "gradient_as_bucket_view": self.gradient_as_bucket_view,
                "broadcast_buffers": self.forward_sync_buffers, "num_buckets": len(self.reducer.buckets)}

    def _set_static_graph(self):
        self.static_graph = True
        self.reducer.static_graph = True
        self.reducer.should_rebuild = True

    # --- what is not implemented ------------------------------------------------------------

    def register_comm_hook(self, state, hook):
        raise _unsupported_method("register_comm_hook", "communication hooks")

    def join(self, divide_by_initial_world_size=True, enable=True, throw_on_early_termination=False):
        raise _unsupported_method("join", "uneven inputs across ranks")

    def _register_fused_optim(self, optim, *args, optim_params=None, **kwargs):
        raise _unsupported_method("_register_fused_optim", "optimizer in backward")

    @staticmethod
    def _set_params_and_buffers_to_ignore_for_model(module, params_and_buffers_to_ignore):
        module._ddp_params_and_buffers_to_ignore = params_and_buffers_to_ignore
