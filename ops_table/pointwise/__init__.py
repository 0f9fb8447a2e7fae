"""Pointwise math: arithmetic, comparison, logical, trigonometric and special functions, bitwise ops, float classification."""
