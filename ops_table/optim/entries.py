"""Fused optimizer steps: one op updates every parameter and its state in place.

`torch.optim.Adam`/`AdamW`/`SGD` call these (with `fused=True`, and by default where the
parameters allow): their kernels write the buffers themselves (dispatch/written_args.py),
so a step costs the arithmetic and no write-back copies."""
from ops_table.spec import op
from ops_table.samples import call, choice, custom, sample, tensor
from . import checks, host, ms

_ARGS = ("(Tensor(a!)[] self, Tensor(b!)[] grads, Tensor(c!)[] exp_avgs, Tensor(d!)[] exp_avg_sqs, "
         "Tensor(e!)[] max_exp_avg_sqs, Tensor[] state_steps, *, {lr} lr, float beta1, float beta2, "
         "float weight_decay, float eps, bool amsgrad, bool maximize, Tensor? grad_scale=None, "
         "Tensor? found_inf=None) -> ()")
_HYPER = {"lr": choice(1e-3, 0.1), "beta1": choice(0.9, 0.3), "beta2": choice(0.999, 0.9),
          "weight_decay": choice(0.0, 0.1), "eps": choice(1e-8, 1e-3), "amsgrad": custom("fused_adam_amsgrad"),
          "maximize": choice(False, True)}
_NO_LISTS = {k: v["values"][0] if v["kind"] == "choice" else False for k, v in _HYPER.items()}


def _kernels(name):
    return {"default": getattr(ms, name), "host": getattr(host, name)}


def _fused(name):
    kernel = name.strip("_")
    return op([f"{name}{_ARGS.format(lr='float')}", f"{name}.tensor_lr{_ARGS.format(lr='Tensor')}"],
              kernels=_kernels(kernel),
              variants=("function",), promote="none", backward="nondiff", check=checks.fused_adam,
              samples=sample([custom("fused_adam_lists")], kwargs=_HYPER, dtypes=("float32", "float64", "float16"),
                             grad=False, method=False,
                             invalid=[call([tensor(shape=(3,))], [tensor(shape=(3,)), tensor(shape=(3,))],
                                           [tensor(shape=(3,))], [tensor(shape=(3,))], [],
                                           [tensor(shape=(), low=1, high=3)], **_NO_LISTS)]))


_SGD_ARGS = ("(Tensor(a!)[] self, Tensor(b!)[] grads, Tensor(c!)[] momentum_buffer_list, *, float weight_decay, "
             "float momentum, {lr} lr, float dampening, bool nesterov, bool maximize, bool is_first_step, "
             "Tensor? grad_scale=None, Tensor? found_inf=None) -> ()")
_SGD_HYPER = {"weight_decay": choice(0.0, 0.1), "momentum": custom("fused_sgd_momentum"), "lr": choice(0.1, 1e-3),
              "dampening": choice(0.0, 0.3), "nesterov": choice(False, True), "maximize": choice(False, True),
              "is_first_step": choice(False, True)}

ENTRIES = [
    _fused("_fused_adam_"),
    _fused("_fused_adamw_"),
    op([f"_fused_sgd_{_SGD_ARGS.format(lr='float')}", f"_fused_sgd_.tensor_lr{_SGD_ARGS.format(lr='Tensor')}"],
       kernels={"default": ms.fused_sgd, "host": host.fused_sgd}, variants=("function",), promote="none", backward="nondiff",
       check=checks.fused_sgd,
       # float32/float64 only: torch 2.13's fused CPU SGD leaves float16/bfloat16 parameters
       # unchanged in its vectorized part (every element but the tail of 16) — measured;
       # tests/test_optim_fused.py checks float16 against PyTorch's per-tensor loop instead.
       samples=sample([custom("fused_sgd_lists")], kwargs=_SGD_HYPER, dtypes=("float32", "float64"),
                      grad=False, method=False,
                      invalid=[call([tensor(shape=(3,))], [tensor(shape=(3,))], [], weight_decay=0.0, momentum=0.9,
                                    lr=0.1, dampening=0.0, nesterov=False, maximize=False, is_first_step=False)])),
]
