"""torch.fx: symbolic tracing of Modules into Graphs, GraphModules generated from them, and
the Interpreter / Transformer that run or rewrite a graph node by node.

Tracing rides on the __torch_function__ protocol (dispatch/torch_function.py): torch
functions and Tensor methods called with a Proxy hand the call to Proxy.__torch_function__,
which records it as a node.
"""
from mstorch.impl.torch.fx._symbolic_trace import (PH, ProxyableClassMeta, Tracer, is_fx_tracing,  # noqa: F401
                                                    symbolic_trace, wrap)
from mstorch.impl.torch.fx.graph import Graph  # noqa: F401
from mstorch.impl.torch.fx.interpreter import Interpreter, Transformer  # noqa: F401
from mstorch.impl.torch.fx.node import Node, has_side_effect, map_arg  # noqa: F401
from mstorch.impl.torch.fx.proxy import Proxy  # noqa: F401
from mstorch.impl.torch.fx.subgraph_rewriter import replace_pattern  # noqa: F401


def __getattr__(name):
    if name == "GraphModule":
        # A Module subclass, built when first asked for (torch.nn loads lazily).
        from mstorch.impl.torch.fx import graph_module
        globals()["GraphModule"] = cls = graph_module.GraphModule
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
