"""torch._dynamo.eval_frame: the OptimizedModule type torch.compile wraps modules in."""


def is_dynamo_supported():
    # Dynamo is PyTorch's bytecode compiler; mstorch has none (torch.compile runs eagerly).
    return False


def __getattr__(name):
    if name == "OptimizedModule":
        # Built on first use: its base class is torch.nn.Module.
        from mstorch.impl.torch._compile import optimized_module_class
        return optimized_module_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
