"""torch.fx's tracing entry points and graph types, without a tracer behind them."""


def _no_tracer(name):
    return NotImplementedError(f"mstorch: torch.fx.{name} is not supported (mstorch has no FX symbolic tracer); "
                               "run the module eagerly instead")


def is_fx_tracing():
    return False


def wrap(fn_or_name):
    # PyTorch's wrap marks a function as a leaf for the tracer and returns it unchanged.
    if not callable(fn_or_name) and not isinstance(fn_or_name, str):
        raise RuntimeError("Unsupported type for global function! Must be either a callable or string name")
    return fn_or_name


def symbolic_trace(root, concrete_args=None):
    raise _no_tracer("symbolic_trace")


def _graph_type(name):
    def __init__(self, *args, **kwargs):
        raise _no_tracer(name)
    return type(name, (), {"__init__": __init__, "__module__": "torch.fx",
                           "__doc__": f"torch.fx.{name}: the type only; constructing one raises NotImplementedError."})


Graph = _graph_type("Graph")
Node = _graph_type("Node")
Proxy = _graph_type("Proxy")
Tracer = _graph_type("Tracer")
Interpreter = _graph_type("Interpreter")
Transformer = _graph_type("Transformer")


def _graph_module_type():
    from mstorch.impl.torch._ns import torch

    class GraphModule(torch.nn.Module):
        """torch.fx.GraphModule: the type only; constructing one raises NotImplementedError."""

        def __init__(self, *args, **kwargs):
            raise _no_tracer("GraphModule")
    GraphModule.__module__ = "torch.fx"
    return GraphModule


def __getattr__(name):
    if name == "GraphModule":
        # A Module subclass, built when first asked for (torch.nn loads lazily).
        globals()["GraphModule"] = cls = _graph_module_type()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
