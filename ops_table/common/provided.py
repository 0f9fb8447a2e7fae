"""What ops_table's helpers get from the dispatcher, handed down rather than imported.

Arrows go one way (mstorch -> dispatch -> ops_table -> mindspore): ops_table never imports
dispatch. Backward helpers, composites' autograd nodes and a few checks still need the
dispatcher's op namespace `T`, its direct (non-recording) view functions, its grad mode,
its autograd.Function base and its dtype rules; dispatch/autograd/formula.py hands them
here when it is imported (`import dispatch` imports it before any op runs).
"""

_SLOTS = ("T", "views", "grad_mode", "Function", "scalar_dtype")
_given = {}


def give(**services):
    """Called by the dispatcher once, with every name of _SLOTS."""
    for name in services:
        if name not in _SLOTS:
            raise KeyError(f"ops_table.common.provided has no slot '{name}'")
    _given.update(services)


def get(name):
    try:
        return _given[name]
    except KeyError:
        raise RuntimeError(f"ops_table: '{name}' is used before the dispatcher handed it down "
                           "(import dispatch first)") from None
