"""torch.fft: the c2c/r2c/c2r primitives and the public transforms, frequencies and shifts."""
