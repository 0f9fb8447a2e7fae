"""Linear algebra composed of mm/bmm and elementwise table ops (autograd records the ops used)."""
import math


def _bshape(a, b, what="matmul"):
    """Broadcast two shapes (PyTorch's rule)."""
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + a
    b = (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton "
                               "dimension")
        out.append(y if x == 1 else x)
    return tuple(out)


def _dtype_check(a, b, name):
    if a.dtype != b.dtype:
        raise RuntimeError(f"{name}: expected both arguments to have the same dtype, but got {a.dtype} and {b.dtype}")


def dot(T, a, b):
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError("inconsistent tensor size, expected tensor [%d] and src [%d] to have the same number of "
                           "elements, but got %d and %d elements respectively" % (a.shape[0], b.shape[0], a.shape[0],
                                                                                  b.shape[0]))
    _dtype_check(a, b, "dot")
    return T.mm(a.unsqueeze(0), b.unsqueeze(1)).reshape(())


def vdot(T, a, b):
    return dot(T, a.conj() if a.is_complex() else a, b)


def mv(T, a, v):
    if a.dim() != 2 or v.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {1}, {a.dim()}, {v.dim()}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                           f"vec ({v.shape[0]})")
    return T.mm(a, v.unsqueeze(1)).reshape((a.shape[0],))


def matmul(T, a, b):
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return dot(T, a, b)
    if da == 2 and db == 1:
        return mv(T, a, b)
    if da == 1 and db == 2:
        return T.mm(a.unsqueeze(0), b).reshape((b.shape[1],))
    if da == 2 and db == 2:
        return T.mm(a, b)
    if a.shape[-1] != (b.shape[0] if db == 1 else b.shape[-2]):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [..., {a.shape[-1]}] "
                           f"but got: {list(b.shape)}.")
    _dtype_check(a, b, "matmul")
    if db <= 2 and da >= 3:
        # Fold the batch into rows: one mm instead of a broadcast bmm.
        b2 = b.unsqueeze(1) if db == 1 else b
        out = T.mm(a.reshape((math.prod(a.shape[:-1]), a.shape[-1])), b2)  # -1 is ambiguous when empty
        return out.reshape(tuple(a.shape[:-1]) + ((b2.shape[1],) if db == 2 else ()))
    a2 = a.unsqueeze(0) if da == 1 else a
    b2 = b.unsqueeze(-1) if db == 1 else b
    n, k, m = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    batch = _bshape(a2.shape[:-2], b2.shape[:-2])
    nb = math.prod(batch)
    a3 = a2.expand(batch + (n, k)).reshape((nb, n, k))
    b3 = b2.expand(batch + (k, m)).reshape((nb, k, m))
    out = T.bmm(a3, b3).reshape(batch + (n, m))
    if da == 1:
        out = out.reshape(batch + (m,))
    if db == 1:
        out = out.reshape(tuple(out.shape[:-1]))
    return out


def inner(T, a, b):
    if a.dim() == 0 or b.dim() == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    return tensordot(T, a, b, ([a.dim() - 1], [b.dim() - 1]))


def outer(T, a, b):
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"outer: expected 1D tensors, but got {a.dim()}D and {b.dim()}D tensors")
    return a.unsqueeze(1) * b.unsqueeze(0)


def _scaled(out, alpha):
    return out if alpha == 1 else out * alpha


def _add_bias(T, bias, prod, beta, name):
    shape = _bshape(bias.shape, prod.shape)
    if shape != tuple(prod.shape):
        raise RuntimeError(f"{name}: the bias of shape {list(bias.shape)} cannot be broadcast to "
                           f"{list(prod.shape)}")
    if beta == 0:
        # PyTorch ignores the bias's values (NaN and inf do not propagate) but gives it a zero grad.
        return T.where(T.ones(tuple(prod.shape), dtype=T.bool), prod, bias)
    return prod + (bias if beta == 1 else bias * beta)


def addmm(T, bias, m1, m2, beta=1, alpha=1):
    return _add_bias(T, bias, _scaled(T.mm(m1, m2), alpha), beta, "addmm")


def addmv(T, bias, mat, vec, beta=1, alpha=1):
    if mat.numel() == 0 and bias.dim() == 0:
        return bias * beta  # PyTorch keeps the bias's shape here (measured)
    return _add_bias(T, bias, _scaled(mv(T, mat, vec), alpha), beta, "addmv")


def addbmm(T, bias, b1, b2, beta=1, alpha=1):
    prod = T.bmm(b1, b2)
    s = prod.sum(0)
    if s.dtype != prod.dtype:
        s = s.to(prod.dtype)
    return _add_bias(T, bias, _scaled(s, alpha), beta, "addbmm")


def baddbmm(T, bias, b1, b2, beta=1, alpha=1):
    return _add_bias(T, bias, _scaled(T.bmm(b1, b2), alpha), beta, "baddbmm")


def tensordot(T, a, b, dims=2):
    if isinstance(dims, int) or (hasattr(dims, "dim") and dims.dim() == 0):
        k = int(dims)
        if k < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={k}")
        da = list(range(a.dim() - k, a.dim()))
        db = list(range(k))
    else:
        da, db = dims
        da = [da] if isinstance(da, int) else [int(x) for x in da]
        db = [db] if isinstance(db, int) else [int(x) for x in db]
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    da = [d % a.dim() for d in da] if a.dim() else da
    db = [d % b.dim() for d in db] if b.dim() else db
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[x]} in dim {x} "
                               f"and second has size {b.shape[y]} in dim {y}")
    fa = [d for d in range(a.dim()) if d not in da]
    fb = [d for d in range(b.dim()) if d not in db]
    K = math.prod(a.shape[d] for d in da)
    A = a.permute(fa + da).reshape((math.prod(a.shape[d] for d in fa), K))
    B = b.permute(db + fb).reshape((K, math.prod(b.shape[d] for d in fb)))
    return T.mm(A, B).reshape(tuple(a.shape[d] for d in fa) + tuple(b.shape[d] for d in fb))


def kron(T, a, b):
    n = max(a.dim(), b.dim())
    sa = (1,) * (n - a.dim()) + tuple(a.shape)
    sb = (1,) * (n - b.dim()) + tuple(b.shape)
    ai = a.reshape(tuple(x for s in sa for x in (s, 1)))
    bi = b.reshape(tuple(x for s in sb for x in (1, s)))
    return (ai * bi).reshape(tuple(x * y for x, y in zip(sa, sb)))


def trace(T, x):
    if x.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.dim()}")
    return x.diagonal().sum()


def diag_embed(T, x, offset=0, dim1=-2, dim2=-1):
    nd = x.dim() + 1
    d1, d2 = dim1 % nd if -nd <= dim1 < nd else None, dim2 % nd if -nd <= dim2 < nd else None
    if d1 is None or d2 is None:
        bad = dim1 if d1 is None else dim2
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {bad})")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    if x.dim() == 0:
        x = x.reshape((1,))
    n = x.shape[-1]
    m = n + abs(offset)
    # Scatter into the flattened m*m plane: O(n*m) memory. (A broadcast n x m x m mask took
    # 20 GB for torch.diag of a 2708-vector in gcn/gat.)
    k = T.arange(n)
    flat = (k + max(-offset, 0)) * m + (k + max(offset, 0))
    out = T.zeros(tuple(x.shape[:-1]) + (m * m,), dtype=x.dtype).index_add(-1, flat, x)
    out = out.reshape(tuple(x.shape[:-1]) + (m, m))
    if (d1, d2) != (nd - 2, nd - 1):
        out = T.movedim(out, [nd - 2, nd - 1], [d1, d2])
    return out


def diag(T, x, diagonal=0):
    if x.dim() == 1:
        return diag_embed(T, x, diagonal, 0, 1)
    if x.dim() == 2:
        return x.diagonal(diagonal).clone()
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.dim()}D")


def cross(T, a, b, dim=None):
    shape = _bshape(a.shape, b.shape)
    if a.dim() != b.dim():
        raise RuntimeError(f"linalg.cross: inputs must have the same number of dimensions.")
    if dim is None:
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    n = len(shape)
    if not -max(n, 1) <= dim < max(n, 1):
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    d = dim % n
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {a.shape[d]} and "
                           f"{b.shape[d]}")
    a = a.expand(shape)
    b = b.expand(shape)
    a0, a1, a2 = (a.select(d, i) for i in range(3))
    b0, b1, b2 = (b.select(d, i) for i in range(3))
    return T.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def _float_check(x, name):
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        legacy = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                  "bool": "Bool"}.get(x.dtype.name, x.dtype.name)
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {legacy}")


def _dims(dim, nd):
    if dim is None:
        return list(range(nd))
    if isinstance(dim, int):
        dim = [dim]
    return [d % max(nd, 1) for d in dim] if nd else []


def vector_norm(T, x, ord=2, dim=None, keepdim=False, dtype=None):
    _float_check(x, "linalg.vector_norm")
    if dtype is not None:
        x = x.to(dtype)
    nd = x.dim()
    dims = _dims(None if dim is not None and len(_dims(dim, nd)) == 0 else dim, nd)
    if nd == 0:
        dims = []
    ax = T.abs(x)
    if ord == math.inf or ord == -math.inf:
        if x.numel() == 0 and (not dims or any(x.shape[d] == 0 for d in dims)):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                               "operation does not have an identity")
        if not dims:
            return ax.clone() if nd == 0 else ax
        return T.amax(ax, dims, keepdim) if ord > 0 else T.amin(ax, dims, keepdim)
    red = dims if dims else None
    if nd == 0:
        if ord == 0:
            return (x != 0).to(x.dtype) + x * 0
        return ax
    if ord == 0:
        return T.sum((x != 0).to(x.dtype) + x * 0, red, keepdim=keepdim)
    if ord == 1:
        return T.sum(ax, red, keepdim=keepdim)
    if ord < 0 and (x.numel() == 0 and (red is None or any(x.shape[d] == 0 for d in red))):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                           "operation does not have an identity")
    if ord == 2:
        return _safe_root(T, T.sum(x * x, red, keepdim=keepdim), 2)
    return _safe_root(T, T.sum(T.pow(ax, ord), red, keepdim=keepdim), ord)


def _safe_root(T, s, p):
    """s ** (1/p) with PyTorch's zero gradient where s == 0 (a plain sqrt would give 0 * inf = NaN)."""
    if p < 0:
        return T.pow(s, 1.0 / p)
    nz = T.logical_not(s == 0)
    base = T.where(nz, s, T.ones_like(s))
    r = T.sqrt(base) if p == 2 else T.pow(base, 1.0 / p)
    return T.where(nz, r, T.zeros_like(r))


def matrix_norm(T, A, ord="fro", dim=(-2, -1), keepdim=False, dtype=None):
    _float_check(A, "linalg.matrix_norm")
    if A.dim() < 2:
        raise RuntimeError(f"linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    dim = list(dim)
    if len(dim) != 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got " + " ".join(map(str, dim)))
    d0, d1 = dim[0] % A.dim(), dim[1] % A.dim()
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    if ord == "fro":
        return vector_norm(T, A, 2, [d0, d1], keepdim, dtype)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(f"mstorch: torch.linalg.matrix_norm(ord={ord!r}) needs singular values, which "
                                  "mstorch does not compute yet")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if dtype is not None:
        A = A.to(dtype)
    # ord 1: max column sum (reduce rows d0 first); inf: max row sum (reduce columns d1 first).
    first, second = (d0, d1) if abs(ord) == 1 else (d1, d0)
    s = T.sum(T.abs(A), [first], keepdim=True)
    if A.shape[second] == 0 and ord > 0:
        out = T.sum(s, [second], keepdim=True)  # an empty max/min: PyTorch answers 0
    else:
        out = T.amax(s, [second], keepdim=True) if ord > 0 else T.amin(s, [second], keepdim=True)
    if not keepdim:
        out = out.reshape(tuple(n for i, n in enumerate(A.shape) if i not in (d0, d1)))
    return out


def norm(T, x, p="fro", dim=None, keepdim=False, dtype=None):
    """torch.norm: PyTorch routes it to vector_norm / matrix_norm exactly like this."""
    _dim = [dim] if isinstance(dim, int) else (list(dim) if dim is not None else None)
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return vector_norm(T, x, 2, _dim, keepdim, dtype)
        if _dim is None:
            _dim = list(range(x.dim()))
        return matrix_norm(T, x, p, _dim, keepdim, dtype)
    return vector_norm(T, x, 2.0 if p is None else p, _dim, keepdim, dtype)


# ---- einsum ---------------------------------------------------------------------------------------

def einsum(T, equation, tensors):
    ops = list(tensors)
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ops):
        raise RuntimeError(f"einsum(): more operands were provided than specified in the equation"
                           if len(ops) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")
    ell = max((o.dim() - len(t.replace("...", "")) for t, o in zip(terms, ops) if "..." in t), default=0)
    ell_tokens = [f"...{i}" for i in range(ell)]

    def tokens(term, x):
        if "..." in term:
            pre, post = term.split("...")
            e = x.dim() - len(pre) - len(post)
            toks = list(pre) + ell_tokens[ell - e:] + list(post)
        else:
            toks = list(term)
        if len(toks) != x.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(toks)}) does not match the "
                               f"number of dimensions ({x.dim()}) for operand and no ellipsis was given")
        return toks

    toks = [tokens(t, o) for t, o in zip(terms, ops)]
    if arrow:
        out_toks = []
        if "..." in rhs:
            pre, post = rhs.split("...")
            out_toks = list(pre) + ell_tokens + list(post)
        else:
            out_toks = list(rhs)
    else:
        counts = {}
        for ts in toks:
            for t in ts:
                if not t.startswith("..."):
                    counts[t] = counts.get(t, 0) + 1
        out_toks = ell_tokens + sorted(t for t, c in counts.items() if c == 1)
    dtype = ops[0].dtype
    # Repeated subscripts within one operand take its diagonal.
    xs = []
    for x, ts in zip(ops, toks):
        ts = list(ts)
        while True:
            rep = next(((i, j) for i in range(len(ts)) for j in range(i + 1, len(ts)) if ts[i] == ts[j]), None)
            if rep is None:
                break
            i, j = rep
            if x.shape[i] != x.shape[j]:
                raise RuntimeError(f"einsum(): subscript {ts[i]} is repeated for operand but the sizes don't match, "
                                   f"{x.shape[i]} != {x.shape[j]}")
            x = x.diagonal(0, i, j)
            t = ts[i]
            ts = [u for k, u in enumerate(ts) if k not in (i, j)] + [t]
        xs.append([x, ts])
    sizes = {}
    for x, ts in xs:
        for n, t in zip(x.shape, ts):
            if sizes.get(t, 1) == 1:
                sizes[t] = n
            elif n not in (1, sizes[t]):
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes (original->remapped)")
    for item in xs:
        x, ts = item
        full = tuple(sizes[t] for t in ts)
        if tuple(x.shape) != full:
            item[0] = x.expand(full)

    def sum_out(x, ts, keep):
        drop = [i for i, t in enumerate(ts) if t not in keep]
        if not drop:
            return x, ts
        s = x.sum(drop)
        if s.dtype != x.dtype:
            s = s.to(x.dtype)
        return s, [t for i, t in enumerate(ts) if i not in drop]

    x, tx = xs[0]
    for idx in range(1, len(xs)):
        y, ty = xs[idx]
        later = set(out_toks)
        for _, tz in xs[idx + 1:]:
            later |= set(tz)
        x, tx = sum_out(x, tx, later | set(ty))
        y, ty = sum_out(y, ty, later | set(tx))
        batch = [t for t in tx if t in ty and t in later]
        contr = [t for t in tx if t in ty and t not in later]
        xo = [t for t in tx if t not in ty]
        yo = [t for t in ty if t not in tx]
        X = x.permute([tx.index(t) for t in batch + xo + contr])
        Y = y.permute([ty.index(t) for t in batch + contr + yo])
        nb, nx, nk, ny = (math.prod(sizes[t] for t in g) for g in (batch, xo, contr, yo))
        Z = T.bmm(X.reshape((nb, nx, nk)), Y.reshape((nb, nk, ny)))
        x = Z.reshape(tuple(sizes[t] for t in batch + xo + yo))
        tx = batch + xo + yo
    for t in out_toks:
        if t not in tx and not t.startswith("..."):
            raise RuntimeError(f"einsum(): output subscript {t} does not appear in the equation for any input operand")
    x, tx = sum_out(x, tx, set(out_toks))
    perm = [tx.index(t) for t in out_toks]
    out = x.permute(perm) if perm != list(range(len(perm))) else x
    return out if out.dtype == dtype else out.to(dtype)


def cdist(T, x1, x2, p=2.0, compute_mode=None):
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values")
    if not x1.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype}")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return vector_norm(T, diff, p, -1)


# --- singular value decomposition ------------------------------------------------------------

def _column_major(T, X):
    """A copy of X laid out as LAPACK writes a matrix: each one column-major with leading
    dimension = its row count, batches outermost (the strides PyTorch's factors carry)."""
    rows, cols = X.shape[-2:]
    strides, step = [1, rows], rows * cols
    for size in reversed(tuple(X.shape[:-2])):
        strides.insert(0, step)
        step *= size
    out = T.empty_strided(tuple(X.shape), tuple(strides), dtype=X.dtype)
    out.copy_(X)
    return out


def linalg_svd(T, A, full_matrices=False, compute_uv=True, driver=None):
    """torch._linalg_svd: the kernel's factors laid out column-major, as LAPACK (and so PyTorch)
    returns them."""
    U, S, Vh = T._svd_factors(A, full_matrices, compute_uv, driver=driver)
    if not compute_uv:
        return U, S, Vh
    return _column_major(T, U), S, _column_major(T, Vh)


def svd(T, A, some=True, compute_uv=True):
    """torch.svd: (U, S, V) with V = Vh^T; compute_uv=False gives zero-filled square U and V."""
    if A.dim() < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has {A.dim()} dimensions "
                           "instead")
    if compute_uv:
        U, S, Vh = T._linalg_svd(A, not some, True)
        return U, S, Vh.transpose(-2, -1)
    S = svdvals(T, A, None)
    m, n = A.shape[-2:]
    batch = tuple(A.shape[:-2])
    return T.zeros(batch + (m, m), dtype=A.dtype), S, T.zeros(batch + (n, n), dtype=A.dtype)


def svdvals(T, A, driver=None):
    # The singular vectors are computed only when a gradient may be asked for: S's backward needs them.
    return T._svd_factors(A, False, A.requires_grad, driver=driver)[1]


def _floating_dtype(T, A):
    return A.dtype if A.is_floating_point() else T.float32


def _approximate_basis(T, A, q, niter, M):
    """torch._lowrank.get_approximate_basis: an orthonormal basis of A's range from a Gaussian
    sketch refined by `niter` power iterations (the same randn draw as PyTorch's)."""
    R = T.randn(A.shape[-1], q, dtype=_floating_dtype(T, A))
    X = T.matmul(A, R)
    if M is not None:
        X = X - T.matmul(M, R)
    Q = T.qr(X)[0]
    for _ in range(niter):
        X = T.matmul(A.transpose(-2, -1), Q)
        if M is not None:
            X = X - T.matmul(M.transpose(-2, -1), Q)
        Q = T.qr(X)[0]
        X = T.matmul(A, Q)
        if M is not None:
            X = X - T.matmul(M, Q)
        Q = T.qr(X)[0]
    return Q


def svd_lowrank(T, A, q=6, niter=2, M=None):
    """torch.svd_lowrank (Halko et al.'s randomized SVD, as torch/_lowrank.py runs it): U, S, V
    with A ~ U diag(S) V^T."""
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    if A.is_complex():
        raise NotImplementedError("mstorch: torch.svd_lowrank of complex tensors is not supported yet")
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.size())
    if m < n:
        A = A.transpose(-2, -1)
        M = M.transpose(-2, -1) if M is not None else None
    Q = _approximate_basis(T, A, q, niter, M)
    B = T.matmul(Q.transpose(-2, -1), A)
    if M is not None:
        B = B - T.matmul(Q.transpose(-2, -1), M)
    U, S, Vh = T._linalg_svd(B, False, True)
    V = Vh.transpose(-2, -1)
    U = T.matmul(Q, U)
    if m < n:
        U, V = V, U
    return U, S, V


def pca_lowrank(T, A, q=None, center=True, niter=2):
    """torch.pca_lowrank: svd_lowrank of A with its column means removed (center=True)."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if A.layout != T.strided:
        raise NotImplementedError("mstorch: torch.pca_lowrank of sparse tensors is not supported yet")
    if not center:
        return svd_lowrank(T, A, q, niter, None)
    return svd_lowrank(T, A - A.mean(dim=(-2,), keepdim=True), q, niter, None)


def multi_dot(T, tensors):
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first, last = tensors[0], tensors[-1]
    ts = [first.unsqueeze(0) if first.dim() == 1 else first] + list(tensors[1:-1]) + \
        [last.unsqueeze(1) if last.dim() == 1 else last]
    for i, t in enumerate(ts):
        if t.dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.dim()}D")
    out = ts[0]
    for t in ts[1:]:
        out = T.mm(out, t)
    if first.dim() == 1 and last.dim() == 1:
        return out.reshape(())
    if first.dim() == 1:
        return out.squeeze(0)
    if last.dim() == 1:
        return out.squeeze(1)
    return out


def matrix_power(T, self, n):
    if self.dim() < 2 or self.shape[-1] != self.shape[-2]:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{self.shape[-2] if self.dim() >= 2 else 1} by {self.shape[-1] if self.dim() else 1} "
                           "matrices")
    if n == 0:
        # self * 0 keeps the result in the graph (PyTorch's has a zero gradient, not none)
        return T.eye(self.shape[-1], dtype=self.dtype) + self * 0
    base = T.inv(self) if n < 0 else self
    n = abs(n)
    result = None
    while n:
        if n & 1:
            result = base if result is None else T.matmul(result, base)
        n >>= 1
        if n:
            base = T.matmul(base, base)
    return result if result is not self else self.clone()
