"""Padding, interpolation (the aten upsample kernels), pixel shuffle, grid sampling."""
