"""torch.autograd.graph: saved-tensor hooks.

mstorch's autograd engine (dispatch/autograd/saved.py) keeps saved tensors as they are and
has no pack/unpack hook point yet, so hooks cannot be honoured: using them raises, naming
the API, instead of silently keeping the tensors where they are."""

__all__ = ["saved_tensors_hooks", "save_on_cpu"]


class saved_tensors_hooks:
    def __init__(self, pack_hook, unpack_hook):
        raise NotImplementedError("mstorch: torch.autograd.graph.saved_tensors_hooks is not supported yet (the "
                                  "autograd engine has no pack/unpack hook point); run without it")


class save_on_cpu(saved_tensors_hooks):
    def __init__(self, pin_memory=False, device_type="cuda"):
        raise NotImplementedError("mstorch: torch.autograd.graph.save_on_cpu is not supported yet (it is a "
                                  "saved_tensors_hooks pair, and the autograd engine has no hook point); on a CPU "
                                  "host saved tensors already live in host memory, so drop the context manager")
