"""torch.Size: a tuple of ints with PyTorch's repr."""


class Size(tuple):
    __slots__ = ()

    def __new__(cls, seq=()):
        return tuple.__new__(cls, (int(s) for s in seq))

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __reduce__(self):
        return (Size, (tuple(self),))
