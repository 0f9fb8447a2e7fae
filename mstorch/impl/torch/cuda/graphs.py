"""CUDA graphs and stream contexts.

Without CUDA, PyTorch's CPU build answers with its "dummy base class" RuntimeErrors; those
are reproduced.  Where mstorch does serve a 'cuda' device (--cuda-to-cpu, or a MindSpore
accelerator) kernels run eagerly one by one and nothing can be captured and replayed, so
graph capture raises NotImplementedError instead of pretending to record.
"""
from dispatch import devices as _devices


def _unavailable(what):
    if not _devices.cuda_available():
        raise RuntimeError(f"Tried to instantiate dummy base class {what}")
    raise NotImplementedError(f"mstorch: torch.cuda.{what} (CUDA graph capture) is not supported; "
                              "run the model eagerly")


class CUDAGraph:
    def __new__(cls, keep_graph=False):
        _unavailable("CUDAGraph")


def graph_pool_handle():
    _unavailable("_graph_pool_handle")


def is_current_stream_capturing():
    # Nothing is ever captured, but PyTorch's CPU build refuses even the question.
    if not _devices.cuda_available():
        raise RuntimeError("Tried to instantiate dummy base class _cuda_isCurrentStreamCapturing")
    return False


class graph:
    """`with torch.cuda.graph(g):` — capture into `g`, which cannot be built here."""
    default_capture_stream = None

    def __init__(self, cuda_graph, pool=None, stream=None, capture_error_mode="global", enable_annotations=False,
                 check_input_liveness=False):
        from mstorch.impl.torch.cuda import Stream
        if self.__class__.default_capture_stream is None:
            self.__class__.default_capture_stream = Stream()  # PyTorch's CPU build fails here
        _unavailable("graph")


def make_graphed_callables(callables, sample_args, num_warmup_iters=3, allow_unused_input=False, pool=None):
    _unavailable("CUDAGraph")


class StreamContext:
    """`with torch.cuda.StreamContext(s):` — select stream `s` (None: no change).

    mstorch runs every kernel synchronously in order on one stream, so a selected stream
    changes nothing that a program can observe."""

    def __init__(self, stream):
        from mstorch.impl.torch.cuda import Stream
        if stream is not None and not isinstance(stream, Stream):
            raise TypeError(f"StreamContext expects a torch.cuda.Stream or None, not {type(stream).__name__}")
        self.stream = stream
        self.idx = -1 if stream is None else 0
        self.src_prev_stream = self.dst_prev_stream = None

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc, tb):
        return None
