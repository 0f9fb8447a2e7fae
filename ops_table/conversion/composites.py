"""Complex conjugation (a no-op view for real tensors, as in PyTorch)."""


def conj(T, self):
    if not self.is_complex():
        return self
    # PyTorch's conj is a lazy view carrying a conjugate bit; mstorch materializes it:
    # reads agree, but a write into the result does not reach `self` as it would in PyTorch.
    return T.conj_physical(self)
