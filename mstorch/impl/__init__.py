"""Python implementations of torch / torchvision APIs that are not single table ops.

`mstorch.impl.torch.X` backs the proxy module `torch.X`.
"""
