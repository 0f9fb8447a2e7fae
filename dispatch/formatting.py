"""repr()/str() of tensors in PyTorch's layout: precision, widths, sci mode, summaries, suffixes."""
import math

import numpy as np

from dispatch import dtypes as _dt


class PrintOptions:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    if profile == "default":
        PrintOptions.precision, PrintOptions.threshold, PrintOptions.edgeitems, PrintOptions.linewidth = 4, 1000, 3, 80
    elif profile == "short":
        PrintOptions.precision, PrintOptions.threshold, PrintOptions.edgeitems, PrintOptions.linewidth = 2, 1000, 2, 80
    elif profile == "full":
        PrintOptions.precision, PrintOptions.threshold, PrintOptions.edgeitems, PrintOptions.linewidth = \
            4, float("inf"), 3, 80
    for name, v in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                    ("linewidth", linewidth)):
        if v is not None:
            setattr(PrintOptions, name, v)
    PrintOptions.sci_mode = sci_mode


class _Formatter:
    def __init__(self, values, is_float, is_bool):
        p = PrintOptions.precision
        self.is_float, self.is_bool, self.int_mode, self.sci = is_float, is_bool, True, False
        self.width = 1
        if is_bool:
            self.width = max((len(str(bool(v))) for v in values), default=1)
            return
        if not is_float:
            self.width = max((len(str(int(v))) for v in values), default=1)
            return
        finite = values[np.isfinite(values)]
        nonzero = finite[finite != 0]
        if nonzero.size == 0:
            self.width = max([1] + [len(_nonfinite(v)) for v in values[~np.isfinite(values)]])
            self.width = max(self.width, 2) if values.size and np.any(values == 0) else self.width
            return
        absv = np.abs(nonzero)
        lo, hi = float(absv.min()), float(absv.max())
        self.int_mode = bool(np.all(np.ceil(nonzero) == nonzero))
        if self.int_mode:
            self.sci = hi / lo > 1000.0 or hi > 1.0e8
            strs = [f"{v:.{p}e}" for v in nonzero] if self.sci else [f"{v:.0f}." for v in nonzero]
        else:
            self.sci = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
            strs = [f"{v:.{p}e}" for v in nonzero] if self.sci else [f"{v:.{p}f}" for v in nonzero]
        if PrintOptions.sci_mode is not None:
            self.sci = PrintOptions.sci_mode
            strs = [f"{v:.{p}e}" if self.sci else (f"{v:.0f}." if self.int_mode else f"{v:.{p}f}") for v in nonzero]
        self.width = max(len(s) for s in strs)
        nf = values[~np.isfinite(values)]
        if nf.size:
            self.width = max(self.width, max(len(_nonfinite(v)) for v in nf))

    def format(self, v):
        p = PrintOptions.precision
        if self.is_bool:
            s = str(bool(v))
        elif not self.is_float:
            s = str(int(v))
        elif not math.isfinite(v):
            s = _nonfinite(v)
        elif self.sci:
            s = f"{v:.{p}e}"
        elif self.int_mode:
            s = f"{v:.0f}."
        else:
            s = f"{v:.{p}f}"
        return " " * (self.width - len(s)) + s


def _nonfinite(v):
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def _summary_values(a, summarize):
    if not summarize or a.ndim == 0:
        return a.reshape(-1)
    e = PrintOptions.edgeitems
    parts = []

    def walk(x):
        if x.ndim == 1:
            parts.append(x[:e] if x.shape[0] > 2 * e else x)
            if x.shape[0] > 2 * e:
                parts.append(x[-e:])
            return
        rows = list(range(x.shape[0]))
        if x.shape[0] > 2 * e:
            rows = rows[:e] + rows[-e:]
        for r in rows:
            walk(x[r])
    walk(a)
    return np.concatenate([p.reshape(-1) for p in parts]) if parts else a.reshape(-1)


def _format_array(a, fmt, indent, summarize):
    e = PrintOptions.edgeitems
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        items = [fmt.format(v) for v in a.tolist()]
        if summarize and a.shape[0] > 2 * e:
            items = items[:e] + ["..."] + items[-e:]
        per_line = max(1, int(math.floor((PrintOptions.linewidth - indent) / (fmt.width + 2))))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = list(range(a.shape[0]))
    sub = []
    if summarize and a.shape[0] > 2 * e:
        sub = [_format_array(a[r], fmt, indent + 1, summarize) for r in rows[:e]] + ["..."] + \
              [_format_array(a[r], fmt, indent + 1, summarize) for r in rows[-e:]]
    else:
        sub = [_format_array(a[r], fmt, indent + 1, summarize) for r in rows]
    sep = "," + "\n" * (a.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(sub) + "]"


def tensor_repr(t, prefix="tensor("):
    dt = t._dtype
    host = t.detach()._host_view()
    if dt is _dt.bfloat16 or dt is _dt.float16:
        host = host.astype(np.float32)
    indent = len(prefix)
    suffixes = []
    numel = host.size
    summarize = numel > PrintOptions.threshold
    if numel == 0:
        body = "[]"
        if host.ndim != 1:
            suffixes.append(f"size={tuple(host.shape)}")
    elif dt.is_complex:
        body = _format_complex(host, indent)
    else:
        vals = _summary_values(host, summarize)
        fmt = _Formatter(vals.astype(np.float64) if dt.is_floating_point else vals,
                         dt.is_floating_point, dt is _dt.bool_)
        body = _format_array(host, fmt, indent, summarize)
    if t.device.type != "cpu":
        suffixes.append(f"device='{t.device}'")
    if dt not in (_dt.get_default_dtype(), _dt.int64, _dt.bool_) or (numel == 0 and dt is not _dt.get_default_dtype()
                                                                      and dt is not _dt.int64 and dt is not _dt.bool_):
        suffixes.append(f"dtype={dt!r}")
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{t._grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    out = prefix + body
    for s in suffixes:
        out += ", " + s
    return out + ")"


def _format_complex(host, indent):
    p = PrintOptions.precision
    flat = ["{:.{p}f}{}{:.{p}f}j".format(v.real, "+" if v.imag >= 0 else "-", abs(v.imag), p=p)
            for v in host.reshape(-1)]
    if host.ndim == 0:
        return flat[0]
    w = max(len(s) for s in flat)
    arr = np.array([" " * (w - len(s)) + s for s in flat], dtype=object).reshape(host.shape)

    def fmt(a, ind):
        if a.ndim == 1:
            return "[" + ", ".join(a.tolist()) + "]"
        return "[" + ("," + "\n" * (a.ndim - 1) + " " * (ind + 1)).join(fmt(r, ind + 1) for r in a) + "]"
    return fmt(arr, indent)
