"""Padding, interpolation, pixel shuffle, grid sampling."""
