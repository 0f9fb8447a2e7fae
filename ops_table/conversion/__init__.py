"""Dtype and device conversion (_to_copy) and the lazy conjugate."""
