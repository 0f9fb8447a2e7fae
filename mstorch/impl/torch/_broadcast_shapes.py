"""torch.broadcast_shapes: the shape that broadcasting the given shapes yields (no tensors made)."""
from dispatch.size import Size

__all__ = ["broadcast_shapes"]


def broadcast_shapes(*shapes):
    result = []
    for index, shape in enumerate(shapes):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        for d in shape:
            if d < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
        if len(shape) > len(result):
            result = [1] * (len(shape) - len(result)) + result
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == result[i] or shape[i] == 1:
                continue
            if result[i] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[i]} at {i}! Mismatching "
                                   f"argument at index {index} had {shape}; but expected shape should be "
                                   f"broadcastable to {result}")
            result[i] = shape[i]
    return Size(result)
