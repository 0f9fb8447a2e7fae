"""Composite ops: decompositions into other table ops (they receive Tensors and the op namespace T)."""
