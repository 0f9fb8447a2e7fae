"""Random ops: PyTorch's CPU random streams, bit for bit, on every device.

The entries take a `Generator? generator` that the dispatcher fills with the
default generator (the engine's state, dispatch/random) when a call gives none;
their kernels pass it on to the stream kernels in `torch_streams/`, which draw
PyTorch's numbers from it in NumPy. The `*_like` factories and dropout are
composites built from those fills, with ATen's steps.
"""
