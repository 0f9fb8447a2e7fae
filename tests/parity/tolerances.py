"""Comparison tolerances, one place for the whole parity suite (rtol, atol per dtype name)."""
FORWARD = {
    "float64": (1e-7, 1e-7),
    "float32": (1.3e-5, 1e-5),
    "float16": (1e-3, 1e-3),
    "bfloat16": (1.6e-2, 1e-2),
    "complex64": (1.3e-5, 1e-5),
    "complex128": (1e-7, 1e-7),
}
# Gradients go through more arithmetic (and reductions in a different order).
GRAD = {
    "float64": (1e-6, 1e-7),
    "float32": (1e-4, 1e-4),
    "float16": (1e-2, 1e-2),
    "bfloat16": (5e-2, 5e-2),
}
