"""Sorting and selection: sort, topk, kthvalue, unique, searchsorted, mode."""
