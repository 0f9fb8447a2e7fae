"""Recurrent cells and their fused gate kernels."""
