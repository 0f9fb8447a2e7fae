"""torch.nn.functional.scaled_dot_product_attention: PyTorch's math formulation as a composite
(MindSpore has no CPU fused attention kernel), so its gradients come from the ops it calls."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, choice, custom, sample, tensor
from . import composites

ENTRIES = [
    op("scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
       "float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor",
       composite=composites.scaled_dot_product_attention, variants=("function",),
       namespaces=("torch.nn.functional",), promote="none",
       samples=sample([custom("sdpa_args")], kwargs={"scale": choice(None, 0.5), "enable_gqa": choice(False, True)},
                      dtypes=FLOAT, atol=1e-5, rtol=1e-5,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3)), tensor(shape=(2, 3)),
                                    tensor(shape=(2, 2)), is_causal=True)])),
]
