"""torch.fx.graph_module."""
from mstorch.impl.torch.fx._symbolic_trace import GraphModule  # noqa: F401
