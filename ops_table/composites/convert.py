"""Complex conjugation (a no-op view for real tensors, as in PyTorch)."""


def conj(T, self):
    if not self.is_complex():
        return self
    raise NotImplementedError("mstorch: conj() of complex tensors is not supported yet")
