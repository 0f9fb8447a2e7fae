"""torch.utils.cpp_extension: C++/CUDA extensions compile against libtorch's C++ API and
ATen, which mstorch does not have, so every entry point raises NotImplementedError naming
itself. The route instead (README.md, section "Custom operators"): write the op in
Python with `torch.library.custom_op` (+ `register_autograd`), or as a MindSpore custom
operator (`mindspore.ops.Custom`) called from a `torch.autograd.Function`."""

_ROUTE = ("mstorch cannot build or load C++/CUDA extensions (they link against libtorch/ATen). Define the op in "
          "Python with torch.library.custom_op, or as a MindSpore custom operator (mindspore.ops.Custom); see "
          "README.md, section \"Custom operators\".")


def _unsupported(name):
    raise NotImplementedError(f"mstorch: torch.utils.cpp_extension.{name} is not supported: {_ROUTE}")


def load(name, sources, *args, **kwargs):
    _unsupported("load")


def load_inline(name, cpp_sources, *args, **kwargs):
    _unsupported("load_inline")


def CppExtension(name, sources, *args, **kwargs):
    _unsupported("CppExtension")


def CUDAExtension(name, sources, *args, **kwargs):
    _unsupported("CUDAExtension")


def include_paths(*args, **kwargs):
    _unsupported("include_paths")


def library_paths(*args, **kwargs):
    _unsupported("library_paths")


class BuildExtension:
    """setuptools' build_ext command class in PyTorch; here building one is refused at construction."""

    def __init__(self, *args, **kwargs):
        _unsupported("BuildExtension")

    @classmethod
    def with_options(cls, **options):
        _unsupported("BuildExtension.with_options")


CUDA_HOME = None
ROCM_HOME = None
