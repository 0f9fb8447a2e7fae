"""Backward helpers of the linear-algebra factorizations."""
from ops_table.common.provided import get as _get


def svd_backward(grads, A, results, full_matrices):
    """PyTorch's linalg_svd_backward for real inputs (FunctionsManual.cpp): with E_jk = S_k^2 - S_j^2,
    gA = U [(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)] V^T, plus the parts of gU (gV)
    outside span(U) (span(V)) for tall (wide) matrices. Repeated singular values make E vanish
    off the diagonal: the gradient is then undefined (inf/nan), as in PyTorch."""
    T = _get("T")
    U, S, Vh = results
    # The engine hands zeros for outputs that got no gradient; PyTorch's formula treats those as
    # absent, which matters: with repeated singular values 0 / E would be nan.
    gU, gS, gVh = (None if g is None or g.numel() == 0 or not bool((g != 0).any()) else g for g in grads)
    m, n = A.shape[-2:]
    k = S.shape[-1]
    if U.numel() == 0 and k and (gU is not None or gVh is not None):
        raise RuntimeError("linalg.svd: The derivative of linalg.svd depends on U and Vh, which were not "
                           "computed (compute_uv=False)")
    if full_matrices and m != n:
        U, Vh = U.narrow(-1, 0, k), Vh.narrow(-2, 0, k)
        gU = gU.narrow(-1, 0, k) if gU is not None else None
        gVh = gVh.narrow(-2, 0, k) if gVh is not None else None
    if gU is None and gVh is None:
        if gS is None:
            return T.zeros_like(A)
        return T.matmul(U, gS.unsqueeze(-1) * Vh) if m >= n else T.matmul(U * gS.unsqueeze(-2), Vh)
    V = Vh.transpose(-2, -1)
    gV = gVh.transpose(-2, -1) if gVh is not None else None
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + T.eye(k, dtype=S.dtype)  # 1 on the diagonal
    if gU is not None:
        X = T.matmul(U.transpose(-2, -1), gU)
        UhgU = X - X.transpose(-2, -1)
    if gV is not None:
        Y = T.matmul(Vh, gV)
        VhgV = Y - Y.transpose(-2, -1)
    if gU is not None and gV is not None:
        gA = (UhgU * S.unsqueeze(-2) + S.unsqueeze(-1) * VhgV) / E
    elif gV is None:
        gA = (UhgU / E) * S.unsqueeze(-2)
    else:
        gA = S.unsqueeze(-1) * (VhgV / E)
    if gS is not None:
        gA = gA + T.diag_embed(gS)
    if m > k and gU is not None:
        gA = T.matmul(U, gA)
        gUSinv = gU / S.unsqueeze(-2)
        gA = gA + gUSinv - T.matmul(U, T.matmul(U.transpose(-2, -1), gUSinv))
        return T.matmul(gA, Vh)
    if n > k and gV is not None:
        gA = T.matmul(gA, Vh)
        SinvgVh = gV.transpose(-2, -1) / S.unsqueeze(-1)
        gA = gA + SinvgVh - T.matmul(T.matmul(SinvgVh, V), Vh)
        return T.matmul(U, gA)
    return T.matmul(U, T.matmul(gA, Vh)) if m >= n else T.matmul(T.matmul(U, gA), Vh)


def _mT(x):
    return x.transpose(-2, -1)


def cholesky_backward(grad, L, upper):
    """PyTorch's cholesky_backward: gA = L^-H Phi(L^H gL) L^-1, Phi halving the diagonal of
    the lower part (for upper=True, L and its grad are the transposed factor's)."""
    T = _get("T")
    if upper:
        L, grad = _mT(L), _mT(grad)
    Li = T.inv(L)
    X = T.matmul(_mT(L), grad).tril()
    return T.matmul(T.matmul(_mT(Li), 0.5 * (X + _mT(X.tril(-1)))), Li)


def eigh_backward(grads, results):
    """PyTorch's eigh backward: V (skew(V^T gV) / E + diag(gL)) V^T with E_ij = L_j - L_i
    (1 on the diagonal)."""
    T = _get("T")
    (L, V), (gL, gV) = results, grads
    X = T.matmul(_mT(V), gV)
    E = L.unsqueeze(-2) - L.unsqueeze(-1) + T.eye(L.shape[-1], dtype=L.dtype)
    return T.matmul(T.matmul(V, 0.5 * (X - _mT(X)) / E + T.diag_embed(gL)), _mT(V))


def qr_backward(grads, results, shape, mode):
    """QR (m >= n, reduced or complete): gA = (gQ + Q copyltu(M)) R^-T with
    M = R gR^T - gQ^T Q (Walter & Lehmann)."""
    T = _get("T")
    if shape[-2] < shape[-1] or mode == "r":
        raise RuntimeError("derivative for aten::linalg_qr (wide or mode=r) is not implemented")
    (Q, R), (gQ, gR) = results, grads
    M = T.matmul(R, _mT(gR)) - T.matmul(_mT(gQ), Q)
    return T.matmul(gQ + T.matmul(Q, M.tril(-1) + _mT(M.tril(-1)) + T.diag_embed(M.diagonal(0, -2, -1))),
                    _mT(T.inv(R)))
