"""Convolutions (torch.nn.functional.conv*d / conv_transpose*d and their torch.* twins).

CPU column order is set by bench/conv_kernels.py (batch 64, float32, launch_blocking, median
of 5; one run on the 2-core box at loadavg ~11, so absolute times are inflated, ratios are
same-run): the NumPy gather + MindSpore MatMul path (ms.conv) against MindSpore's
Conv2D primitive, forward / forward+backward in ms:
  LeNet 1->6 k5 28x28      4.9 / 26.4   vs   57.5 /  118.5   (11.8x / 4.5x)
  LeNet 6->16 k5 12x12     7.8 / 37.8   vs  120.8 /  235.5   (15.6x / 6.2x)
  32->32 k3 p1 16x16      22.8 / 110.1  vs 1120.0 / 1897.0   (49x / 17x)
  64->64 k3 p1 s2 16x16   32.0 / 169.8  vs 1243.6 / 2137.7   (39x / 13x)
Conv2D also lacks float64, so it only stays as a declared second candidate for conv2d."""
from ops_table.spec import op
from ops_table.samples import FLOAT, call, custom, sample, tensor
from . import host, ms

_SAMPLES = {nd: sample([custom(f"conv{nd}d_args")], dtypes=FLOAT, atol=1e-4, rtol=1e-4,
                       invalid=[call(tensor(shape=(2, 3)), tensor(shape=(2, 3) + (1,) * nd)),
                                call(tensor(shape=(1, 4) + (5,) * nd), tensor(shape=(2, 3) + (1,) * nd))])
            for nd in (1, 2, 3)}
_TSAMPLES = {nd: sample([custom(f"conv_transpose{nd}d_args")], dtypes=FLOAT, atol=1e-4, rtol=1e-4,
                        invalid=[call(tensor(shape=(1, 4) + (3,) * nd), tensor(shape=(3, 2) + (1,) * nd))])
             for nd in (1, 2, 3)}


def _conv(nd):
    kernels = {"default": f"mint:nn.functional.conv{nd}d",
               "cpu": [ms.conv] + ([ms.conv2d_native] if nd == 2 else []), "host": host.conv}
    args = "Tensor input, Tensor weight, Tensor? bias=None, SymInt[{n}] stride=1, {pad}, SymInt[{n}] dilation=1, " \
           "SymInt groups=1"
    return op([f"conv{nd}d({args.format(n=nd, pad=f'SymInt[{nd}] padding=0')}) -> Tensor",
               f"conv{nd}d.padding({args.format(n=nd, pad='str padding=' + chr(34) + 'valid' + chr(34))}) -> Tensor"],
              kernels=kernels, variants=("function",), namespaces=("torch.nn.functional", "torch"), promote="none",
              check=getattr(host, f"check_conv{nd}d"),
              backward={"input": "conv_input_grad(grad, input, weight, stride, padding, dilation, groups)",
                        "weight": "conv_weight_grad(grad, input, weight, stride, padding, dilation, groups)",
                        "bias": "conv_bias_grad(grad, weight)"},
              samples=_SAMPLES[nd])


def _conv_t(nd):
    # mint 2.10 has only conv_transpose2d; the other ranks are declared with the CPU kernel.
    kernels = {"default": ms.conv_transpose, "host": host.conv_transpose}
    if nd == 2:
        kernels.update({"default": "mint:nn.functional.conv_transpose2d", "cpu": ms.conv_transpose})
    return op(f"conv_transpose{nd}d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[{nd}] stride=1, "
              f"SymInt[{nd}] padding=0, SymInt[{nd}] output_padding=0, SymInt groups=1, SymInt[{nd}] dilation=1) "
              "-> Tensor",
              kernels=kernels, variants=("function",), namespaces=("torch.nn.functional", "torch"), promote="none",
              check=getattr(host, f"check_conv_transpose{nd}d"),
              backward={"input": "convt_input_grad(grad, input, weight, stride, padding, dilation, groups)",
                        "weight": "convt_weight_grad(grad, input, weight, stride, padding, dilation, groups)",
                        "bias": "conv_bias_grad(grad, weight)"},
              samples=_TSAMPLES[nd])


ENTRIES = [_conv(1), _conv(2), _conv(3), _conv_t(1), _conv_t(2), _conv_t(3)]
