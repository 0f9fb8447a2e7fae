"""torch.nn.functional normalization layers (composites: autograd through their parts)."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, sample, tensor
from . import composites


F = ("torch.nn.functional",)


def _comp(schema, fn, samples, ns=F):
    return op(schema, composite=getattr(composites, fn),
              variants=("function",), namespaces=ns, promote="none", samples=samples)


ENTRIES = [
    _comp("batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, "
          "Tensor? bias=None, bool training=False, float momentum=0.1, float eps=1e-05) -> Tensor", "batch_norm",
          sample([custom("batch_norm_args")], dtypes=FLOAT,
                 invalid=[call(tensor(shape=(1, 3)), tensor(shape=(3,)), tensor(shape=(3,)), training=True)])),
    _comp("instance_norm(Tensor input, Tensor? running_mean=None, Tensor? running_var=None, Tensor? weight=None, "
          "Tensor? bias=None, bool use_input_stats=True, float momentum=0.1, float eps=1e-05) -> Tensor",
          "instance_norm", sample([custom("instance_norm_args")], dtypes=FLOAT,
                                  invalid=[call(tensor(shape=(2, 3, 1)))])),
    _comp("layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, "
          "float eps=1e-05) -> Tensor", "layer_norm",
          sample([custom("layer_norm_args")], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3)), [4])])),
    _comp("group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05) "
          "-> Tensor", "group_norm",
          sample([custom("group_norm_args")], dtypes=FLOAT, invalid=[call(tensor(shape=(2, 3, 2)), 2)])),
    _comp("local_response_norm(Tensor input, int size, float alpha=0.0001, float beta=0.75, float k=1.0) -> Tensor",
          "local_response_norm",
          sample([tensor(ndim=(3, 4)), custom("lrn_size")], kwargs={"alpha": choice(0.0001, 0.5), "k": choice(1.0, 2.0)}, dtypes=FLOAT,
                 invalid=[call(tensor(shape=(2, 3)), 2)])),
    _comp("rms_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, float? eps=None) -> Tensor",
          "rms_norm", sample([custom("rms_norm_args")], kwargs={"eps": choice(None, 1e-5, 0.1)}, dtypes=FLOAT,
                             invalid=[call(tensor(shape=(2, 3)), (2,)),
                                      call(tensor(shape=(2, 3)), (3,), tensor(shape=(2,)))]),
          ns=F + ("torch",)),
]
