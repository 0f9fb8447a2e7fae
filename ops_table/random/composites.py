"""Random ops that PyTorch itself builds from other ops: the `*_like` factories (`empty_like(x).uniform_()`...)."""


def _fresh_like(T, self, dtype, layout, device, pin_memory, memory_format):
    return T.empty_like(self, dtype=dtype, layout=layout, device=device, pin_memory=pin_memory,
                        memory_format=memory_format)


def _finish(out, requires_grad):
    return out.requires_grad_(True) if requires_grad else out


def rand_like(T, self, generator, dtype, layout, device, pin_memory, requires_grad, memory_format):
    out = _fresh_like(T, self, dtype, layout, device, pin_memory, memory_format)
    out.uniform_(0.0, 1.0, generator=generator)
    return _finish(out, requires_grad)


def randn_like(T, self, generator, dtype, layout, device, pin_memory, requires_grad, memory_format):
    out = _fresh_like(T, self, dtype, layout, device, pin_memory, memory_format)
    out.normal_(0.0, 1.0, generator=generator)
    return _finish(out, requires_grad)


def randint_like(T, self, *args):
    """randint_like(x, high, ...) or randint_like(x, low, high, ...)."""
    if len(args) == 9:
        low, high, rest = args[0], args[1], args[2:]
    else:
        low, high, rest = 0, args[0], args[1:]
    generator, dtype, layout, device, pin_memory, requires_grad, memory_format = rest
    out = _fresh_like(T, self, dtype, layout, device, pin_memory, memory_format)
    out.random_(low, high, generator=generator)
    return _finish(out, requires_grad)
