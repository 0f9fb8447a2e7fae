"""Shape ops: views (pure geometry over the input's storage) and ops that move data."""
from ops_table.spec import op
from ops_table.samples import (ALL, FLOAT, NUMERIC, call, choice, custom, dim, integer, sample, tensor)
from . import checks, composites, host, ms
from ops_table.common import geometry

_ANY = ("function", "method")
_M = ("method",)


def _view(schema, geom, backward, samples, variants=_ANY, aliases=(), nondiff_outputs=()):
    return op(schema, kernels=None, view=getattr(geometry, geom), variants=variants, promote="none",
              aliases=aliases, backward=backward, samples=samples, nondiff_outputs=nondiff_outputs)


def _data(name, schema, backward, samples, variants=_ANY, promote="none", check=None, aliases=()):
    return op(schema, kernels={"default": getattr(ms, name), "host": getattr(host, name)},
              variants=variants, promote=promote, backward=backward, samples=samples, check=check,
              aliases=aliases)


_B = ("cpu", "gpu", "ascend", "host")


_FM = ("function", "method")


_LA = ("torch.linalg",)


def _c(name):
    return {"default": getattr(composites, name), "host": getattr(composites, name)}


def _comp(schema, name, samples, variants=_FM, namespaces=("torch",), aliases=()):
    return op(schema, kernels=_c(name), variants=variants, promote="none", samples=samples,
              namespaces=namespaces, aliases=aliases)


_T = ".transpose(-2, -1)"


ENTRIES = [
    _view("view(Tensor(a) self, SymInt[] size) -> Tensor(a)", "view", {"self": "grad.reshape(self.shape)"},
          sample([tensor(), custom("view_shape")], dtypes=ALL, invalid=[call(tensor(shape=(2, 3)), (4,))]),
          variants=_M),
    _view("transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", "transpose",
          {"self": "grad.transpose(dim0, dim1)"},
          sample([tensor(), dim(0), dim(0)], dtypes=ALL, invalid=[call(tensor(shape=(2, 3)), 0, 2)]),
          aliases=("swapaxes", "swapdims")),
    _view("t(Tensor(a) self) -> Tensor(a)", "t", {"self": "grad.t()"},
          sample([tensor(ndim=(0, 2))], dtypes=ALL, invalid=[call(tensor(shape=(2, 3, 4)))])),
    _view("permute(Tensor(a) self, int[] dims) -> Tensor(a)", "permute",
          {"self": "grad.permute(inverse_permutation(dims, self.dim()))"},
          sample([tensor(), custom("permutation")], dtypes=ALL, invalid=[call(tensor(shape=(2, 3)), (0,))])),
    _view("select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)", "select",
          {"self": "view_scatter(grad, self, lambda z: z.select(dim, index))"},
          sample([tensor(ndim=(1, 4), min_size=1), dim(0), custom("index_in_dim")], dtypes=ALL,
                 invalid=[call(tensor(shape=(2, 3)), 0, 5)])),
    _view("slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)",
          "slice", {"self": "view_scatter(grad, self, lambda z: T.slice(z, dim, start, end, step))"},
          sample([tensor(ndim=(1, 4)), dim(0), choice(None, 0, 1, -2), choice(None, 2, -1, 10), choice(1, 2, 3)],
                 dtypes=FLOAT), variants=()),
    _view("narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)", "narrow",
          {"self": "view_scatter(grad, self, lambda z: z.narrow(dim, start, length))"},
          sample([tensor(ndim=(1, 4), min_size=2), dim(0), choice(0, 1), choice(0, 1)], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), 0, 1, 5)])),
    _view("as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)",
          "as_strided", {"self": "as_strided_backward(grad, self, size, stride, storage_offset)"},
          sample([custom("as_strided")], dtypes=FLOAT)),
    _view("expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)", "expand",
          {"self": "sum_to(grad, self.shape)"},
          sample([tensor(), custom("expand_shape")], dtypes=ALL, invalid=[call(tensor(shape=(2, 3)), (4, 3))]),
          variants=_M),
    _view("squeeze.dims(Tensor(a) self, int[]? dim=None) -> Tensor(a)", "squeeze",
          {"self": "grad.reshape(self.shape)"}, sample([tensor(), dim(0)], dtypes=ALL)),
    _view("unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", "unsqueeze", {"self": "grad.reshape(self.shape)"},
          sample([tensor(), custom("unsqueeze_dim")], dtypes=ALL, invalid=[call(tensor(shape=(2, 3)), 5)])),
    _view("unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]", "unbind",
          {"self": "T.stack(materialize(grads, self, dim), dim)"},
          sample([tensor(ndim=(1, 3)), dim(0)], dtypes=FLOAT)),
    _view(["split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]",
           "split.sizes(Tensor(a -> *) self, SymInt[] split_size, int dim=0) -> Tensor(a)[]"], "split",
          {"self": "T.cat(materialize_split(grads, self, dim), dim)"},
          sample([tensor(ndim=(1, 3), min_size=1), choice(1, 2, 3), dim(0)], dtypes=FLOAT)),
    _view("split_with_sizes(Tensor(a -> *) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]",
          "split_with_sizes", {"self": "T.cat(materialize_split(grads, self, dim), dim)"},
          sample([custom("split_sizes")], dtypes=FLOAT)),
    _view("chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]", "chunk",
          {"self": "T.cat(materialize_split(grads, self, dim), dim)"},
          sample([tensor(ndim=(1, 3)), choice(1, 2, 3), dim(0)], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(4,)), 0)])),
    _view("diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)", "diagonal",
          {"self": "view_scatter(grad, self, lambda z: z.diagonal(offset, dim1, dim2))"},
          sample([tensor(ndim=(2, 4)), choice(0, 1, -1), choice(0), choice(1, -1)], dtypes=FLOAT)),
    _view("unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)", "unfold",
          {"self": "unfold_backward(grad, self, dimension, size, step)"},
          sample([tensor(ndim=(1, 3), min_size=3), dim(0), choice(1, 2), choice(1, 2)], dtypes=FLOAT),
          variants=_M),
    _view("movedim.intlist(Tensor(a) self, int[1] source, int[1] destination) -> Tensor(a)", "movedim",
          {"self": "T.movedim(grad, destination, source)"},
          sample([tensor(ndim=(1, 4)), dim(0), dim(0)], dtypes=FLOAT), aliases=("moveaxis",)),
    _view("alias(Tensor(a) self) -> Tensor(a)", "alias", {"self": "grad"}, sample([tensor()], dtypes=FLOAT),
          variants=()),
    op("reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)",
       kernels={"default": composites.reshape, "host": composites.reshape},
       promote="none", backward=None, samples=sample([tensor(), custom("view_shape")], dtypes=ALL)),
    op("flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)",
       kernels={"default": composites.flatten, "host": composites.flatten},
       promote="none", samples=sample([tensor(), choice(0, 1), choice(-1)], dtypes=ALL)),
    op("unflatten.int(Tensor(a) self, int dim, SymInt[] sizes) -> Tensor(a)",
       kernels={"default": composites.unflatten, "host": composites.unflatten},
       promote="none", samples=sample([custom("unflatten")], dtypes=FLOAT)),
    op("view_as(Tensor(a) self, Tensor other) -> Tensor(a)",
       kernels={"default": composites.view_as, "host": composites.view_as},
       variants=_M, promote="none", samples=sample([tensor(), tensor()], dtypes=FLOAT)),
    op("reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)",
       kernels={"default": composites.reshape_as, "host": composites.reshape_as},
       variants=_M, promote="none", samples=sample([tensor(), tensor()], dtypes=FLOAT)),
    op("expand_as(Tensor(a) self, Tensor other) -> Tensor(a)",
       kernels={"default": composites.expand_as, "host": composites.expand_as},
       variants=_M, promote="none", samples=sample([tensor(), tensor()], dtypes=FLOAT)),
    op("contiguous(Tensor(a) self, *, MemoryFormat memory_format=contiguous_format) -> Tensor(a)",
       kernels={"default": composites.contiguous, "host": composites.contiguous},
       variants=_M, promote="none", samples=sample([tensor()], dtypes=ALL)),
    _data("clone", "_clone(Tensor self) -> Tensor", {"self": "grad"},
          sample([tensor()], dtypes=ALL, oracle="torch.Tensor.contiguous"), variants=()),
    # clone keeps a dense input's strides (preserve_format), so it is a composite over a
    # plain copy kernel and empty_like + copy_.
    op("clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor",
       kernels={"default": composites.clone, "host": composites.clone},
       promote="none", samples=sample([tensor()], dtypes=ALL, compare="values")),
    op("copy(Tensor self, Tensor src, bool non_blocking=False) -> Tensor",
       kernels={"default": ms.copy, "host": host.copy},
       variants=("inplace",), promote="first",
       backward={"self": "grad * 0", "src": "sum_to(grad, src.shape)"},
       samples=sample([tensor(), tensor(bcast=True)], dtypes=NUMERIC)),
    _data("cat", "cat(Tensor[] tensors, int dim=0) -> Tensor",
          {"tensors": "split_like(grad, tensors, dim)"},
          sample([custom("cat")], dtypes=NUMERIC, method=False,
                 invalid=[call([tensor(shape=(2, 3)), tensor(shape=(3, 2))], 0)]),
          variants=("function", "out"), promote="same", check=checks.cat, aliases=("concat", "concatenate")),
    _data("stack", "stack(Tensor[] tensors, int dim=0) -> Tensor",
          {"tensors": "T.unbind(grad, dim)"},
          sample([custom("stack")], dtypes=NUMERIC, method=False,
                 invalid=[call([tensor(shape=(2, 3)), tensor(shape=(3, 2))], 0)]),
          variants=("function", "out"), promote="same", check=checks.stack),
    _data("flip", "flip(Tensor self, int[] dims) -> Tensor", {"self": "grad.flip(dims)"},
          sample([tensor(ndim=(1, 4)), custom("dims_list")], dtypes=NUMERIC), check=checks.flip),
    op("repeat(Tensor self, SymInt[] repeats) -> Tensor",
       kernels={"default": composites.repeat, "host": composites.repeat},
       variants=_M, promote="none", check=checks.repeat,
       samples=sample([tensor(ndim=(0, 3)), custom("repeats")], dtypes=NUMERIC)),
    op(["repeat_interleave.self_int(Tensor self, SymInt repeats, int? dim=None, *, SymInt? output_size=None) -> Tensor",
        "repeat_interleave.self_Tensor(Tensor self, Tensor repeats, int? dim=None, *, SymInt? output_size=None) -> Tensor",
        "repeat_interleave.Tensor(Tensor repeats, *, SymInt? output_size=None) -> Tensor"],
       kernels={"default": composites.repeat_interleave, "host": composites.repeat_interleave},
       promote="none", samples=sample([tensor(ndim=(1, 3)), choice(1, 2, 3), dim(0)], dtypes=NUMERIC)),
    _data("roll", "roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor",
          {"self": "T.roll(grad, [-s for s in shifts], dims)"},
          sample([tensor(ndim=(1, 3)), choice(1, -2, 3), dim(0)], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(2, 3)), (1, 2), (0,)), call(tensor(shape=(2, 3)), (1,), (0, 1)),
                          call(tensor(shape=(2, 3)), (), ())]),
          check=checks.roll),
    # --- from coverage.py ---
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
]
