"""Functions of torch.distributed that libraries import by name but mstorch does not support."""


def refusing(name, message):
    """A function named `name` that raises NotImplementedError(message) whenever it is called."""
    def refuse(*args, **kwargs):
        raise NotImplementedError(message)
    refuse.__name__ = refuse.__qualname__ = name
    return refuse
