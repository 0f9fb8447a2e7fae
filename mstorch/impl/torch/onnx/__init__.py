"""torch.onnx: importable; exporting needs PyTorch's tracer and ONNX exporter, which mstorch does not have.

`export` raises NotImplementedError naming itself and saying what to do instead.
"""
_INSTEAD = ("save the weights with torch.save(model.state_dict(), path), load them into the same model under "
            "real PyTorch and export there, or export the MindSpore network with mindspore.export(..., "
            "file_format='ONNX')")


def is_in_onnx_export():
    return False


def export(model, args=(), f=None, **kwargs):
    raise NotImplementedError(f"mstorch: torch.onnx.export is not supported (no ONNX exporter); {_INSTEAD}")


def dynamo_export(model, *model_args, **kwargs):
    raise NotImplementedError(f"mstorch: torch.onnx.dynamo_export is not supported (no ONNX exporter); {_INSTEAD}")


def register_custom_op_symbolic(symbolic_name, symbolic_fn, opset_version):
    raise NotImplementedError("mstorch: torch.onnx.register_custom_op_symbolic is not supported (no ONNX exporter)")


class ONNXProgram:
    """The type of an exported program; none can be made without an exporter."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"mstorch: torch.onnx.ONNXProgram is not supported (no ONNX exporter); {_INSTEAD}")
