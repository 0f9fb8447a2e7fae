"""Dropout in its forms (alpha, feature, 1d/2d/3d)."""
