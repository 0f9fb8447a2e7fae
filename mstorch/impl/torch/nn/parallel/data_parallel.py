"""torch.nn.DataParallel, as PyTorch runs it: with no accelerator it holds the module and calls it.

With one accelerator device the module and the inputs move to it; replicating over
several devices (scatter / replicate / gather) is not implemented and raises naming itself.
"""
from mstorch.impl.torch._ns import torch


def _accelerator_device_ids():
    return list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []


def _to_device(obj, device):
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_to_device(v, device) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_device(v, device) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((k, _to_device(v, device)) for k, v in obj.items())
    return obj


def _device_index(d):
    if isinstance(d, int):
        return d
    return torch.device(d).index or 0


class DataParallel(torch.nn.Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.dim = dim
        available = _accelerator_device_ids()
        if not available:
            # PyTorch's behaviour on a host without an accelerator: no devices, the module runs as is.
            self.device_ids = []
            return
        self.device_ids = [_device_index(d) for d in (available if device_ids is None else device_ids)]
        if len(self.device_ids) > 1:
            raise NotImplementedError("mstorch: torch.nn.DataParallel over several devices is not supported "
                                      "(no replicate/scatter/gather); pass device_ids with one device")
        self.output_device = _device_index(self.device_ids[0] if output_device is None else output_device)
        self.src_device_obj = torch.device("cuda", self.device_ids[0])
        self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for t in list(self.module.parameters()) + list(self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError("module must have its parameters and buffers on device "
                                   f"{self.src_device_obj} (device_ids[0]) but found one of them on device: "
                                   f"{t.device}")
        inputs = _to_device(inputs, self.src_device_obj) or ((),)
        return self.module(*inputs, **_to_device(kwargs, self.src_device_obj))


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0, module_kwargs=None):
    if not isinstance(inputs, tuple):
        inputs = (inputs,) if inputs is not None else ()
    return DataParallel(module, device_ids, output_device, dim)(*inputs, **(module_kwargs or {}))
