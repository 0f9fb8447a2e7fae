"""torch.utils.flop_counter: counting FLOPs needs a hook on every dispatched op, which the
dispatcher does not offer. A FlopCounterMode can be made and queried — it has counted
nothing, truthfully, as PyTorch's has before it is entered — but entering it to count
raises NotImplementedError naming itself."""


class FlopCounterMode:
    def __init__(self, mods=None, depth=2, display=True, custom_mapping=None):
        self.depth, self.display = depth, display
        self.flop_counts = {"Global": {}}  # per module name, as PyTorch keeps them

    def __enter__(self):
        raise NotImplementedError("mstorch: counting with torch.utils.flop_counter.FlopCounterMode is not supported "
                                  "(no hook on dispatched ops to count them)")

    def __exit__(self, *exc):
        return None

    def get_total_flops(self):
        return 0  # nothing has run under this mode (it cannot be entered)

    def get_flop_counts(self):
        return {k: dict(v) for k, v in self.flop_counts.items()}

    def get_table(self, depth=None):
        raise NotImplementedError("mstorch: torch.utils.flop_counter.FlopCounterMode.get_table is not supported "
                                  "(FlopCounterMode cannot count)")


def register_flop_formula(targets, get_raw=False):
    raise NotImplementedError("mstorch: torch.utils.flop_counter.register_flop_formula is not supported "
                              "(FlopCounterMode is not supported)")
