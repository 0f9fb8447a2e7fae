"""Statistics of observation matrices: covariance and correlation coefficients."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, sample, tensor
from . import composites


ENTRIES = [
    op("cov(Tensor self, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None) -> Tensor",
       composite=composites.cov, variants=("function", "method"), promote="none",
       samples=sample([tensor(ndim=(0, 2), min_size=2)], dtypes=FLOAT,
                      invalid=[call(tensor(shape=(2, 2, 2)))])),
    op("corrcoef(Tensor self) -> Tensor",
       composite=composites.corrcoef, variants=("function", "method"), promote="none",
       samples=sample([tensor(ndim=(1, 2), min_size=2)], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 2, 2)))])),
]
