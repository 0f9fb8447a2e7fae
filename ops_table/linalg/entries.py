"""Linear algebra: products, contractions, triangular/diagonal parts, norms."""
from ops_table.spec import op
from ops_table.samples import FLOAT, NUMERIC, call, choice, custom, dims, integer, sample, tensor
from . import checks, composites, host, ms

_FM = ("function", "method")


def _comp(schema, name, samples, variants=_FM, namespaces=("torch",), aliases=(), dunders=()):
    return op(schema, composite=getattr(composites, name), variants=variants, promote="none", samples=samples,
              namespaces=namespaces, aliases=aliases, dunders=dunders)


_BAD_MM = [call(tensor(shape=(2, 3)), tensor(shape=(2, 3)))]
_LA = ("torch.linalg",)


# The factorizations and solvers declare their kernel for every MindSpore backend (`default`):
# mint 2.10 has no twin for them.


_T = ".transpose(-2, -1)"


_VEC = "(B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1])))"


_GB = f"T.solve(A{_T}, grad, left=left)"


ENTRIES = [
    op("mm(Tensor self, Tensor mat2) -> Tensor",
       kernels={"default": ms.mm, "ascend": "mint:mm", "host": host.mm},
       variants=("function", "method", "out"), promote="same", check=checks.mm,
       backward={"self": "T.mm(grad, mat2.t())", "mat2": "T.mm(self.t(), grad)"},
       samples=sample([custom("mm_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM)),
    op("bmm(Tensor self, Tensor mat2) -> Tensor",
       kernels={"default": ms.bmm, "ascend": "mint:bmm", "host": host.bmm},
       variants=("function", "method", "out"), promote="same", check=checks.bmm,
       backward={"self": "T.bmm(grad, mat2.transpose(1, 2))", "mat2": "T.bmm(self.transpose(1, 2), grad)"},
       samples=sample([custom("bmm_pair")], dtypes=NUMERIC, method=False,
                      invalid=[call(tensor(shape=(2, 2, 3)), tensor(shape=(2, 2, 3)))])),
    _comp("matmul(Tensor self, Tensor other) -> Tensor", "matmul",
          sample([custom("matmul_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM),
          variants=("function", "method", "out"), dunders=("__matmul__", "__rmatmul__")),
    _comp("mv(Tensor self, Tensor vec) -> Tensor", "mv",
          sample([custom("mv_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM),
          variants=("function", "method", "out")),
    _comp("dot(Tensor self, Tensor tensor) -> Tensor", "dot",
          sample([custom("vec_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM),
          variants=("function", "method", "out")),
    _comp("vdot(Tensor self, Tensor other) -> Tensor", "vdot",
          sample([custom("vec_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM),
          variants=("function", "method", "out")),
    _comp("inner(Tensor self, Tensor other) -> Tensor", "inner",
          sample([custom("inner_pair")], dtypes=NUMERIC, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 2)))]),
          variants=("function", "method", "out")),
    _comp("outer(Tensor self, Tensor vec2) -> Tensor", "outer",
          sample([custom("outer_pair")], dtypes=NUMERIC, method=False, invalid=_BAD_MM),
          variants=("function", "method", "out"), aliases=("ger",)),
    _comp("addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", "addmm",
          sample([custom("addmm_args")], kwargs={"beta": choice(1, 0, 0.5), "alpha": choice(1, 2)}, dtypes=FLOAT,
                 method=False, invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(2, 3)))]),
          variants=("function", "method", "out")),
    _comp("addmv(Tensor self, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor", "addmv",
          sample([custom("addmv_args")], kwargs={"beta": choice(1, 0, 0.5), "alpha": choice(1, 2)}, dtypes=FLOAT,
                 method=False),
          variants=("function", "method", "out")),
    _comp("addbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", "addbmm",
          sample([custom("addbmm_args")], kwargs={"beta": choice(1, 0, 0.5), "alpha": choice(1, 2)}, dtypes=FLOAT,
                 method=False),
          variants=("function", "method", "out")),
    _comp("baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", "baddbmm",
          sample([custom("baddbmm_args")], kwargs={"beta": choice(1, 0, 0.5), "alpha": choice(1, 2)}, dtypes=FLOAT,
                 method=False),
          variants=("function", "method", "out")),
    _comp("einsum(str equation, Tensor... tensors) -> Tensor", "einsum",
          sample([custom("einsum_args")], dtypes=("float32", "float64"), method=False,
                 invalid=[call("ij,jk->ik", tensor(shape=(2, 3)), tensor(shape=(2, 3)))]),
          variants=("function",)),
    _comp("tensordot(Tensor a, Tensor b, Any dims=2) -> Tensor", "tensordot",
          sample([custom("tensordot_args")], dtypes=NUMERIC, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), 1)]),
          variants=("function",)),
    _comp("kron(Tensor self, Tensor other) -> Tensor", "kron",
          sample([custom("kron_pair")], dtypes=NUMERIC, method=False), variants=("function", "method", "out")),
    _comp("trace(Tensor self) -> Tensor", "trace",
          sample([tensor(ndim=(2, 2))], dtypes=NUMERIC, invalid=[call(tensor(shape=(2, 3, 4)))])),
    op("tril(Tensor self, int diagonal=0) -> Tensor",
       kernels={"default": ms.tril, "ascend": "mint:tril", "host": host.tril},
       variants=("function", "method", "inplace", "out"), promote="same", check=checks.tri,
       backward={"self": "T.tril(grad, diagonal)"},
       samples=sample([tensor(ndim=(2, 4)), choice(0, 1, -1, 3)], dtypes=NUMERIC + ("bool",),
                      invalid=[call(tensor(shape=(3,)))])),
    op("triu(Tensor self, int diagonal=0) -> Tensor",
       kernels={"default": ms.triu, "ascend": "mint:triu", "host": host.triu},
       variants=("function", "method", "inplace", "out"), promote="same", check=checks.tri,
       backward={"self": "T.triu(grad, diagonal)"},
       samples=sample([tensor(ndim=(2, 4)), choice(0, 1, -1, 3)], dtypes=NUMERIC + ("bool",),
                      invalid=[call(tensor(shape=(3,)))])),
    _comp("diag(Tensor self, int diagonal=0) -> Tensor", "diag",
          sample([tensor(ndim=(1, 2)), choice(0, 1, -2)], dtypes=NUMERIC, invalid=[call(tensor(shape=(2, 3, 4)))]),
          variants=("function", "method", "out")),
    _comp("diag_embed(Tensor input, int offset=0, int dim1=-2, int dim2=-1) -> Tensor", "diag_embed",
          sample([tensor(ndim=(0, 3)), custom("diag_embed_args")], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(2, 3)), 0, 1, 1)])),
    _comp("cross(Tensor self, Tensor other, int? dim=None) -> Tensor", "cross",
          sample([custom("cross_pair")], dtypes=NUMERIC, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), 0)]),
          variants=("function", "method", "out")),
    _comp("cdist(Tensor x1, Tensor x2, float p=2., str? compute_mode=None) -> Tensor", "cdist",
          sample([custom("cdist_pair"), choice(2.0, 1.0, 3.0, float("inf"))], dtypes=FLOAT, method=False,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 4)))]),
          variants=("function",)),
    _comp("vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)"
          " -> Tensor", "vector_norm",
          sample([tensor(), custom("vector_norm_args")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3), dtype="int64"))]),
          variants=("function", "out"), namespaces=("torch.linalg",)),
    _comp("matrix_norm(Tensor self, Any ord=\"fro\", int[] dim=[-2,-1], bool keepdim=False, *, "
          "ScalarType? dtype=None) -> Tensor", "matrix_norm",
          sample([tensor(ndim=(2, 3)), custom("matrix_norm_args")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(3,)))]),
          variants=("function", "out"), namespaces=("torch.linalg",)),
    # --- from coverage.py ---
    # --- torch.linalg ---
    op("inv(Tensor A) -> Tensor", kernels={"default": ms.inv, "host": host.inv}, variants=("function", "out"), namespaces=_LA,
       promote="none", check=checks.square,
       backward={"A": f"-T.matmul(T.matmul(result{_T}, grad), result{_T})"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("inverse(Tensor self) -> Tensor", kernels={"default": ms.inv, "host": host.inv}, variants=("function", "method", "out"),
       promote="none", check=checks.square,
       backward={"self": f"-T.matmul(T.matmul(result{_T}, grad), result{_T})"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False)),
    op("det(Tensor A) -> Tensor", kernels={"default": ms.det, "host": host.det}, variants=("function", "method"), namespaces=_LA + ("torch",),
       promote="none", check=checks.square,
       backward={"A": f"(grad * result).unsqueeze(-1).unsqueeze(-1) * T.inv(A){_T}"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("slogdet(Tensor A) -> (Tensor sign, Tensor logabsdet)", kernels={"default": ms.slogdet, "host": host.slogdet}, variants=("function", "method"),
       namespaces=_LA + ("torch",), promote="none", check=checks.square,
       backward={"A": f"grads[1].unsqueeze(-1).unsqueeze(-1) * T.inv(A){_T}"},
       samples=sample([custom("cov_square")], dtypes=FLOAT, method=False)),
    op("solve(Tensor A, Tensor B, *, bool left=True) -> Tensor", kernels={"default": ms.solve, "host": host.solve}, variants=("function", "out"),
       namespaces=_LA, promote="same", check=checks.solve,
       backward={"B": _GB,
                 "A": f"(-{_GB}.unsqueeze(-1) * result.unsqueeze(-2)) if left and {_VEC} else "
                      f"(-T.matmul({_GB}, result{_T}) if left else -T.matmul(result{_T}, {_GB}))"},
       samples=sample([custom("cov_solve")], kwargs={"left": choice(True, False)}, dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 1)))])),
    op("cholesky(Tensor A, *, bool upper=False) -> Tensor", kernels={"default": ms.cholesky, "host": host.cholesky}, variants=("function", "out"),
       namespaces=_LA, promote="none", check=checks.square, backward={"A": "cholesky_backward(grad, result, upper)"},
       samples=sample([custom("cov_spd")], kwargs={"upper": choice(False, True)}, dtypes=FLOAT, method=False,
                      invalid=[call(tensor(shape=(2, 3)))])),
    op("qr(Tensor A, str mode=\"reduced\") -> (Tensor Q, Tensor R)", kernels={"default": ms.qr, "host": host.qr}, variants=("function",),
       namespaces=_LA, promote="none", check=checks.qr, backward={"A": "qr_backward(grads, results, A.shape, mode)"},
       samples=sample([custom("cov_tall")], kwargs={"mode": choice("reduced", "complete", "r")}, dtypes=FLOAT,
                      method=False, invalid=[call(tensor(shape=(3,)))])),
    _comp("multi_dot(Tensor[] tensors) -> Tensor", "multi_dot",
          sample([custom("cov_chain")], dtypes=FLOAT, method=False, invalid=[call([tensor(shape=(2, 2))])]),
          variants=("function", "out"), namespaces=_LA),
    _comp("matrix_power(Tensor self, int n) -> Tensor", "matrix_power",
          sample([custom("cov_square"), integer(-2, 4)], dtypes=FLOAT, method=False,
                 invalid=[call(tensor(shape=(2, 3)), 2)]),
          variants=("function", "method", "out"), namespaces=("torch", "torch.linalg")),
    op("eigh(Tensor A, str UPLO=\"L\") -> (Tensor eigenvalues, Tensor eigenvectors)",
       kernels={"default": host.eigh, "cpu": ms.eigh,
                "host": host.eigh},
       variants=("function",), namespaces=_LA, promote="none", check=checks.square,
       backward={"A": "eigh_backward(grads, results)"},
       # Eigenvector signs are unspecified and LAPACK builds differ: the parity draws are
       # permuted diagonal matrices (vectors are then unit vectors in every build); general
       # symmetric matrices are checked by property in tests/test_linalg_special.py.
       samples=sample([custom("cov_diag_sym")], dtypes=FLOAT, method=False)),
    # torch.norm: the legacy front end of vector_norm / matrix_norm
    op("norm(Tensor self, Any? p=\"fro\", int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
       composite=composites.norm, variants=("function", "method", "out"), promote="none",
       samples=sample([tensor(), choice("fro", 2, 1, 3.5, float("inf"), -float("inf"), 0), dims(0)], kwargs={"keepdim": choice(False, True)},
                      dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3), dtype="int64"))])),
]

# Singular vectors are unique only up to the sign of each (u_i, v_i) pair and LAPACK builds choose
# differently (PyTorch's MKL vs NumPy's OpenBLAS): the kernel's parity draws are matrices whose factors
# every build agrees on, the composites' compare metadata; general matrices (values up to sign,
# reconstruction, gradients) are checked in tests/test_linalg_svd.py.
_SVD_K = {"default": ms.linalg_svd, "host": host.linalg_svd}
ENTRIES += [
    # The factors come back contiguous from the kernel; torch._linalg_svd hands them out in LAPACK's
    # column-major layout (the composite below), which PyTorch programs can observe through strides.
    op("_svd_factors(Tensor A, bool full_matrices=False, bool compute_uv=True, *, str? driver=None) "
       "-> (Tensor U, Tensor S, Tensor Vh)",
       kernels=_SVD_K, variants=(), promote="none", check=checks.svd,
       backward={"A": "svd_backward(grads, A, results, full_matrices)"},
       samples=sample([custom("svd_permuted_diagonal")], kwargs={"full_matrices": choice(False, True)},
                      dtypes=FLOAT, method=False, oracle="torch._linalg_svd", invalid=[call(tensor(shape=(3,)))])),
    _comp("_linalg_svd(Tensor A, bool full_matrices=False, bool compute_uv=True, *, str? driver=None) "
          "-> (Tensor U, Tensor S, Tensor Vh)", "linalg_svd",
          sample([tensor(ndim=(2, 3))], kwargs={"full_matrices": choice(False, True)}, dtypes=FLOAT,
                 method=False, grad=False, compare="meta", invalid=[call(tensor(shape=(3,)))]),
          variants=("function",)),
    _comp("svd(Tensor self, bool some=True, bool compute_uv=True) -> (Tensor U, Tensor S, Tensor V)", "svd",
          sample([tensor(ndim=(2, 3))], kwargs={"some": choice(True, False)}, dtypes=FLOAT, grad=False,
                 compare="meta", invalid=[call(tensor(shape=(3,)))])),
    _comp("svdvals(Tensor A, *, str? driver=None) -> Tensor", "svdvals",
          sample([tensor(ndim=(2, 3))], dtypes=FLOAT, method=False, invalid=[call(tensor(shape=(3,)))]),
          variants=("function", "out"), namespaces=("torch.linalg",)),
    _comp("svd_lowrank(Tensor A, int? q=6, int? niter=2, Tensor? M=None) -> (Tensor, Tensor, Tensor)",
          "svd_lowrank", sample([tensor(shape=(5, 4))], dtypes=FLOAT, method=False, grad=False, compare="meta"),
          variants=("function",)),
    _comp("pca_lowrank(Tensor A, int? q=None, bool center=True, int niter=2) -> (Tensor, Tensor, Tensor)",
          "pca_lowrank", sample([tensor(shape=(5, 4))], dtypes=FLOAT, method=False, grad=False, compare="meta"),
          variants=("function",)),
]
