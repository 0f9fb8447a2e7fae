"""Commonly used torch functions found missing by the API coverage audit
(tests/test_api_coverage.py): tan, logaddexp, shape/stacking helpers, index factories,
Bessel I0/I1, and torch.linalg's factorizations and solvers with their backward formulas."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, custom, integer, sample, tensor

_B = ("cpu", "gpu", "ascend", "host")
_FM = ("function", "method")
_LA = ("torch.linalg",)


def _c(name):
    return {b: f"composite:coverage.{name}" for b in _B}


def _k(name):
    # Declared for Ascend/GPU with the same legacy primitive: mint 2.10 has no twin for these.
    ms = f"fn:ms_coverage.{name}"
    return {"cpu": ms, "gpu": ms, "ascend": ms, "host": f"fn:np_coverage.{name}"}


def _comp(schema, name, samples, variants=_FM, namespaces=("torch",), aliases=()):
    return op(schema, kernels=_c(name), variants=variants, promote="none", samples=samples,
              namespaces=namespaces, aliases=aliases)


_T = ".transpose(-2, -1)"
_VEC = "(B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1])))"
_GB = f"T.solve(A{_T}, grad, left=left)"
# PyTorch's cholesky_backward: gA = L^-H Phi(L^H gL) L^-1, Phi halving the diagonal of the lower part.
_CHOL = ("(lambda L, g: (lambda Li, X: T.matmul(T.matmul(Li" + _T + ", 0.5 * (X + X.tril(-1)" + _T + ")), Li))"
         "(T.inv(L), T.matmul(L" + _T + ", g).tril()))"
         "(result" + _T + " if upper else result, grad" + _T + " if upper else grad)")
# PyTorch's eigh backward: V (skew(V^T gV) / E + diag(gL)) V^T with E_ij = L_j - L_i (1 on the diagonal).
_EIGH = ("(lambda L, V, gL, gV: (lambda X, E: T.matmul(T.matmul(V, 0.5 * (X - X" + _T + ") / E + T.diag_embed(gL)), "
         "V" + _T + "))(T.matmul(V" + _T + ", gV), L.unsqueeze(-2) - L.unsqueeze(-1) + "
         "T.eye(L.shape[-1], dtype=L.dtype)))(results[0], results[1], grads[0], grads[1])")
# QR (m >= n, reduced): gA = (gQ + Q copyltu(M)) R^-T with M = R gR^T - gQ^T Q (Walter & Lehmann).
_QR = ("(lambda Q, R, gQ, gR: (lambda M: T.matmul(gQ + T.matmul(Q, M.tril(-1) + M.tril(-1)" + _T + " + "
       "T.diag_embed(M.diagonal(0, -2, -1))), T.inv(R)" + _T + "))"
       "(T.matmul(R, gR" + _T + ") - T.matmul(gQ" + _T + ", Q)))(results[0], results[1], grads[0], grads[1]) "
       "if A.shape[-2] >= A.shape[-1] and mode != 'r' else not_implemented('linalg_qr (wide or mode=r)')")

ENTRIES = [
    op("tan(Tensor self) -> Tensor", kernels=_k("tan"), variants=("function", "method", "inplace", "out"),
       promote="float", backward={"self": "grad * (1 + result * result)"},
       samples=sample([tensor(low=-1.4, high=1.4)], dtypes=FLOAT)),
    _comp("logaddexp(Tensor self, Tensor other) -> Tensor", "logaddexp",
          sample([tensor(), tensor(bcast=True)], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))]), variants=("function", "method", "out")),
    _comp("logaddexp2(Tensor self, Tensor other) -> Tensor", "logaddexp2",
          sample([tensor(), tensor(bcast=True)], dtypes=FLOAT), variants=("function", "method", "out")),
    _comp("broadcast_to(Tensor(a) self, SymInt[] size) -> Tensor(a)", "broadcast_to",
          sample([tensor(ndim=(0, 3)), custom("cov_expand_shape")], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(2, 3)), (4, 3))])),
    _comp("broadcast_tensors(Any t0, Any t1=None, Any t2=None, Any t3=None) -> Tensor[]", "broadcast_tensors",
          sample([custom("cov_bcast_tensors")], dtypes=NUMERIC, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))]), variants=("function",)),
    _comp("meshgrid(Any t0, Any t1=None, Any t2=None, Any t3=None, *, str? indexing=None) -> Tensor[]", "meshgrid",
          sample([custom("cov_meshgrid")], kwargs={"indexing": choice("ij", "xy")}, dtypes=NUMERIC, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(3,)))]), variants=("function",)),
    _comp("tile(Tensor self, SymInt[] dims) -> Tensor", "tile",
          # ndim <= 2: repeat's backward fails past 8-D (reported), and tile pads dims to repeat's
          sample([tensor(ndim=(0, 2)), custom("repeats")], dtypes=NUMERIC)),
    _comp(["atleast_1d(Tensor self) -> Tensor", "atleast_1d.Sequence(Tensor[] tensors) -> Tensor[]"], "atleast_1d",
          sample([tensor(ndim=(0, 3))], dtypes=NUMERIC, method=False), variants=("function",)),
    _comp(["atleast_2d(Tensor self) -> Tensor", "atleast_2d.Sequence(Tensor[] tensors) -> Tensor[]"], "atleast_2d",
          sample([tensor(ndim=(0, 3))], dtypes=NUMERIC, method=False), variants=("function",)),
    _comp(["atleast_3d(Tensor self) -> Tensor", "atleast_3d.Sequence(Tensor[] tensors) -> Tensor[]"], "atleast_3d",
          sample([tensor(ndim=(0, 4))], dtypes=NUMERIC, method=False), variants=("function",)),
    _comp("hstack(Tensor[] tensors) -> Tensor", "hstack",
          sample([custom("cov_stack_list")], dtypes=NUMERIC, method=False, invalid=[call([])]),
          variants=("function", "out")),
    _comp("vstack(Tensor[] tensors) -> Tensor", "vstack",
          sample([custom("cov_stack_list")], dtypes=NUMERIC, method=False, invalid=[call([])]),
          variants=("function", "out"), aliases=("row_stack",)),
    _comp("dstack(Tensor[] tensors) -> Tensor", "dstack",
          sample([custom("cov_stack_list")], dtypes=NUMERIC, method=False, invalid=[call([])]),
          variants=("function", "out")),
    _comp("column_stack(Tensor[] tensors) -> Tensor", "column_stack",
          sample([custom("cov_column_list")], dtypes=NUMERIC, method=False, invalid=[call([])]),
          variants=("function", "out")),
    _comp("diff(Tensor self, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None) -> Tensor", "diff",
          sample([tensor(ndim=(1, 3)), custom("cov_diff_args")], dtypes=NUMERIC), variants=("function", "method", "out")),
    _comp("ravel(Tensor(a) self) -> Tensor(a)", "ravel", sample([tensor()], dtypes=NUMERIC)),
    _comp("fliplr(Tensor self) -> Tensor", "fliplr",
          sample([tensor(ndim=(2, 3))], dtypes=NUMERIC, invalid=[call(tensor(shape=(3,)))])),
    _comp("flipud(Tensor self) -> Tensor", "flipud",
          sample([tensor(ndim=(1, 3))], dtypes=NUMERIC)),
    _comp("rot90(Tensor self, int k=1, int[] dims=[0,1]) -> Tensor", "rot90",
          sample([tensor(ndim=(2, 3)), integer(-5, 5)], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(3,)))])),
    op("tril_indices(int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       kernels=_c("tril_indices"), variants=("function",), promote="none",
       samples=sample([integer(0, 5), integer(0, 5), integer(-3, 3)], dtypes=("int64",), method=False)),
    op("triu_indices(int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       kernels=_c("triu_indices"), variants=("function",), promote="none",
       samples=sample([integer(0, 5), integer(0, 5), integer(-3, 3)], dtypes=("int64",), method=False)),
    op("i0(Tensor self) -> Tensor", kernels=_k("i0"), variants=("function", "method", "inplace", "out"),
       namespaces=("torch", "torch.special"), promote="float", backward={"self": "grad * T.i1(self)"},
       samples=sample([tensor(low=-4, high=4)], dtypes=FLOAT)),
    op("i1(Tensor self) -> Tensor", kernels=_k("i1"), variants=("function", "out"),
       namespaces=("torch.special",), promote="float",
       # d/dx I1 = I0 - I1/x, whose limit at 0 is 1/2
       backward={"self": "grad * T.where(self == 0, 0.5 + self * 0, T.i0(self) - T.i1(self) / "
                         "T.where(self == 0, 1 + self * 0, self))"},
       samples=sample([tensor(low=-4, high=4)], dtypes=FLOAT)),
    # --- torch.linalg ---
    op("inv(Tensor A) -> Tensor", kernels=_k("inv"), variants=("function", "out"), namespaces=_LA,
       promote="none", check="checks_coverage.square",
       backward={"A": f"-T.matmul(T.matmul(result{_T}, grad), result{_T})"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("inverse(Tensor self) -> Tensor", kernels=_k("inv"), variants=("function", "method", "out"),
       promote="none", check="checks_coverage.square",
       backward={"self": f"-T.matmul(T.matmul(result{_T}, grad), result{_T})"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False)),
    op("det(Tensor A) -> Tensor", kernels=_k("det"), variants=("function", "method"), namespaces=_LA + ("torch",),
       promote="none", check="checks_coverage.square",
       backward={"A": f"(grad * result).unsqueeze(-1).unsqueeze(-1) * T.inv(A){_T}"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("slogdet(Tensor A) -> (Tensor sign, Tensor logabsdet)", kernels=_k("slogdet"), variants=("function", "method"),
       namespaces=_LA + ("torch",), promote="none", check="checks_coverage.square",
       backward={"A": f"grads[1].unsqueeze(-1).unsqueeze(-1) * T.inv(A){_T}"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False)),
    op("solve(Tensor A, Tensor B, *, bool left=True) -> Tensor", kernels=_k("solve"), variants=("function", "out"),
       namespaces=_LA, promote="same", check="checks_coverage.solve",
       backward={"B": _GB,
                 "A": f"(-{_GB}.unsqueeze(-1) * result.unsqueeze(-2)) if left and {_VEC} else "
                      f"(-T.matmul({_GB}, result{_T}) if left else -T.matmul(result{_T}, {_GB}))"},
       samples=sample([custom("cov_solve")], kwargs={"left": choice(True, False)}, dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 1)))])),
    op("cholesky(Tensor A, *, bool upper=False) -> Tensor", kernels=_k("cholesky"), variants=("function", "out"),
       namespaces=_LA, promote="none", check="checks_coverage.square", backward={"A": _CHOL},
       samples=sample([custom("cov_spd")], kwargs={"upper": choice(False, True)}, dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("eigh(Tensor A, str UPLO=\"L\") -> (Tensor eigenvalues, Tensor eigenvectors)",
       kernels={"cpu": "fn:ms_coverage.eigh", "gpu": "fn:np_coverage.eigh", "ascend": "fn:np_coverage.eigh",
                "host": "fn:np_coverage.eigh"},
       variants=("function",), namespaces=_LA, promote="none", check="checks_coverage.square",
       backward={"A": _EIGH},
       # Eigenvector signs are unspecified and LAPACK builds differ: the parity draws are
       # permuted diagonal matrices (vectors are then unit vectors in every build); general
       # symmetric matrices are checked by property in tests/test_linalg_special.py.
       samples=sample([custom("cov_diag_sym")], dtypes=FLOAT, method=False)),
    op("qr(Tensor A, str mode=\"reduced\") -> (Tensor Q, Tensor R)", kernels=_k("qr"), variants=("function",),
       namespaces=_LA, promote="none", check="checks_coverage.qr", backward={"A": _QR},
       samples=sample([custom("cov_tall")], kwargs={"mode": choice("reduced", "complete", "r")}, dtypes=FLOAT,
                      method=False, invalid=[call(tensor(shape=(3,)))])),
    _comp("multi_dot(Tensor[] tensors) -> Tensor", "multi_dot",
          sample([custom("cov_chain")], dtypes=FLOAT, method=False, invalid=[call([tensor(shape=(2, 2))])]),
          variants=("function", "out"), namespaces=_LA),
    _comp("matrix_power(Tensor self, int n) -> Tensor", "matrix_power",
          sample([custom("cov_square"), integer(-2, 4)], dtypes=FLOAT, method=False,
                 invalid=[call(tensor(shape=(2, 3)), 2)]),
          variants=("function", "method", "out"), namespaces=("torch", "torch.linalg")),
]
