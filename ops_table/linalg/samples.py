"""Sample generators for ops_table/entries/linalg.py's SVD (see custom_samples.py)."""
import numpy as np
from hypothesis import strategies as st


def svd_permuted_diagonal(draw, ctx, done):
    """A (batch of) m x n matrix with k = min(m, n) entries of distinct magnitude and random sign,
    one per row and column. Singular vectors are unique only up to sign and LAPACK builds choose
    signs differently for general matrices; for these every build (MKL, OpenBLAS) returns the
    same signed unit vectors, so the factors can be compared as values."""
    from tests.parity.strategies import Arr
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    k = min(m, n)
    batch = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, 1))))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    a = np.zeros(batch + (m, n))
    for idx in np.ndindex(*batch):
        d = rng.permutation(np.arange(1, k + 1) * 1.5) * rng.choice([-1.0, 1.0], k)
        a[idx + (rng.permutation(m)[:k], rng.permutation(n)[:k])] = d
    return Arr(np.ascontiguousarray(a.astype(ctx["dtype"])), "contig", ctx["dtype"])
