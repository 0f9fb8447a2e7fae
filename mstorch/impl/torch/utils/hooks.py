"""torch.utils.hooks: the handle every `register_*_hook` returns (modules, optimizers)."""
import itertools

__all__ = ["RemovableHandle", "unserializable_hook"]

_ids = itertools.count()


class RemovableHandle:
    """Removes hook `id` from `hooks_dict` (and from each `extra_dict`, per-hook flags)."""

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.id = next(_ids)
        if extra_dict is None:
            extra = ()
        elif isinstance(extra_dict, dict):
            extra = (extra_dict,)
        elif isinstance(extra_dict, (list, tuple)):
            extra = tuple(extra_dict)
        else:
            raise TypeError(f"RemovableHandle: extra_dict must be a dict or a list of dicts, "
                            f"got {type(extra_dict).__name__}")
        self._dicts = (hooks_dict, *extra)

    @classmethod
    def add(cls, table, hook, prepend=False, also=()):
        """Put `hook` in the ordered `table` under a fresh id (first if `prepend`); removing the
        handle also drops that id from the `also` tables."""
        h = cls(table, extra_dict=list(also))
        table[h.id] = hook
        if prepend:
            table.move_to_end(h.id, last=False)
        return h

    def remove(self):
        for d in self._dicts:
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def unserializable_hook(f):
    """Mark `f` as a hook that torch.save must not pickle (PyTorch's marker attribute)."""
    f.__torch_unserializable__ = True
    return f
