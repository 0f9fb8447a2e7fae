"""torch.onnx._internal: only what libraries import (the ONNXProgram type)."""
