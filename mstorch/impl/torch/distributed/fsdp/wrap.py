"""torch.distributed.fsdp.wrap: auto-wrap policies decide which submodules FSDP shards. FSDP is out of
scope for mstorch, so building or applying a policy raises naming it."""
from mstorch.impl.torch.distributed._refusing import refusing
from mstorch.impl.torch.distributed.fsdp import _out_of_scope


class ModuleWrapPolicy:
    def __init__(self, module_classes):
        raise _out_of_scope("wrap.ModuleWrapPolicy")


class CustomPolicy:
    def __init__(self, lambda_fn):
        raise _out_of_scope("wrap.CustomPolicy")


def _policy(name):
    return refusing(name, str(_out_of_scope(f"wrap.{name}")))


always_wrap_policy = _policy("always_wrap_policy")
lambda_auto_wrap_policy = _policy("lambda_auto_wrap_policy")
transformer_auto_wrap_policy = _policy("transformer_auto_wrap_policy")
size_based_auto_wrap_policy = _policy("size_based_auto_wrap_policy")
enable_wrap = _policy("enable_wrap")
wrap = _policy("wrap")
_or_policy = _policy("_or_policy")
