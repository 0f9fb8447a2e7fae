"""Pure kernels: backend arrays in, backend arrays out."""
