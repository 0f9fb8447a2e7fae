"""Fused optimizer steps: one op updates every parameter and its state in place.

`torch.optim.Adam`/`AdamW` call these (with `fused=True`, and by default where the
parameters allow): their kernels write the buffers themselves (dispatch/written_args.py),
so a step costs the arithmetic and no write-back copies."""
from ops_table.spec import op
from ops_table.samples import call, choice, custom, sample, tensor

_ARGS = ("(Tensor(a!)[] self, Tensor(b!)[] grads, Tensor(c!)[] exp_avgs, Tensor(d!)[] exp_avg_sqs, "
         "Tensor(e!)[] max_exp_avg_sqs, Tensor[] state_steps, *, {lr} lr, float beta1, float beta2, "
         "float weight_decay, float eps, bool amsgrad, bool maximize, Tensor? grad_scale=None, "
         "Tensor? found_inf=None) -> ()")
_HYPER = {"lr": choice(1e-3, 0.1), "beta1": choice(0.9, 0.3), "beta2": choice(0.999, 0.9),
          "weight_decay": choice(0.0, 0.1), "eps": choice(1e-8, 1e-3), "amsgrad": custom("fused_adam_amsgrad"),
          "maximize": choice(False, True)}
_NO_LISTS = {k: v["values"][0] if v["kind"] == "choice" else False for k, v in _HYPER.items()}


def _fused(name):
    kernel = name.strip("_")
    return op([f"{name}{_ARGS.format(lr='float')}", f"{name}.tensor_lr{_ARGS.format(lr='Tensor')}"],
              kernels={"cpu": f"fn:ms_optim.{kernel}", "gpu": f"fn:ms_optim.{kernel}",
                       "ascend": f"fn:ms_optim.{kernel}", "host": f"fn:np_optim.{kernel}"},
              variants=("function",), promote="none", backward="nondiff", check="checks_optim.fused_adam",
              samples=sample([custom("fused_adam_lists")], kwargs=_HYPER, dtypes=("float32", "float64", "float16"),
                             grad=False, method=False,
                             invalid=[call([tensor(shape=(3,))], [tensor(shape=(3,)), tensor(shape=(3,))],
                                           [tensor(shape=(3,))], [tensor(shape=(3,))], [],
                                           [tensor(shape=(), low=1, high=3)], **_NO_LISTS)]))


ENTRIES = [_fused("_fused_adam_"), _fused("_fused_adamw_")]
