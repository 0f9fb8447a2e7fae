"""torch.utils.flop_counter: counting FLOPs needs a hook on every dispatched op, which the
dispatcher does not offer; the types exist, and using them raises naming themselves."""


class FlopCounterMode:
    def __init__(self, mods=None, depth=2, display=True, custom_mapping=None):
        raise NotImplementedError("mstorch: torch.utils.flop_counter.FlopCounterMode is not supported (no hook on "
                                  "dispatched ops to count them)")


def register_flop_formula(targets, get_raw=False):
    raise NotImplementedError("mstorch: torch.utils.flop_counter.register_flop_formula is not supported "
                              "(FlopCounterMode is not supported)")
