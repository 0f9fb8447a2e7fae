"""mstorch's own autograd: nodes recorded by the dispatcher, walked by engine.backward.

Depends on no MindSpore autograd facility (no mindspore.grad / value_and_grad / vjp,
nothing from mindspore._c_expression): backward formulas are torch-level table ops.
"""
