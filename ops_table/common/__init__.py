"""Helpers several op families share: MindSpore primitives and scalars (_ms), dtype conversion, view
geometry, integer argument checks, worded errors, erfinv, and the backward helpers every family's
formulas may call (backward.py)."""
