"""Linear algebra: products, contractions, triangular/diagonal parts, norms, factorizations and solvers."""
