"""torch.onnx._internal.exporter: where older libraries import ONNXProgram from."""
from mstorch.impl.torch.onnx import ONNXProgram  # noqa: F401
