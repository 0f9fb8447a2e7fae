"""Run a program with real torch as the oracle.

The torchvision wheel on PyPI is built for CUDA; beside the CPU torch its C ops cannot
load, and its import then fails while registering meta kernels for those ops.  The
programs here use none of torchvision's C ops (timm only imports torchvision's Python
layers), so that one registration module is skipped."""
import runpy
import sys
import types

sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
program = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(program, run_name="__main__")
