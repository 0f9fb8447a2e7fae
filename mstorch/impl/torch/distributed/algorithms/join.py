"""torch.distributed.algorithms.join: training with uneven inputs across ranks. The hook and joinable
interfaces are base classes for user code; the `Join` context manager itself (shadowing the
collectives of ranks that ran out of data) is not supported and says so when built."""


class JoinHook:
    def main_hook(self):
        pass

    def post_hook(self, is_last_joiner):
        pass


class Joinable:
    def join_hook(self, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}.join_hook")

    @property
    def join_device(self):
        raise NotImplementedError(f"{type(self).__name__}.join_device")

    @property
    def join_process_group(self):
        raise NotImplementedError(f"{type(self).__name__}.join_process_group")


class Join:
    def __init__(self, joinables, enable=True, throw_on_early_termination=False, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.algorithms.join.Join (uneven inputs across ranks) "
                                  "is not supported")
