"""torch.fx: importable, with the decorator libraries apply at import time.

mstorch has no symbolic tracer: `symbolic_trace` and the graph types raise
NotImplementedError naming themselves when used. The classes exist so that isinstance
checks (`isinstance(x, torch.fx.Proxy)`) answer truthfully — False, since no instance
can exist — and so that libraries can subclass them at import time.
"""
from mstorch.impl.torch.fx._symbolic_trace import (Graph, GraphModule, Interpreter, Node, Proxy, Tracer,  # noqa: F401
                                                    Transformer, symbolic_trace, wrap)
