"""repr()/str() of tensors in PyTorch 2.13's layout: precision, widths, sci/int mode, summaries,
suffixes and their line wrapping, print options."""
import contextlib
import math

import numpy as np

from dispatch import device_context, dtypes as _dt
from dispatch import upcalls as _upcalls
from dispatch.tensor import Tensor


class _PrinterOptions:
    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self):
        self.precision, self.threshold, self.edgeitems, self.linewidth, self.sci_mode = 4, 1000, 3, 80, None

    def __repr__(self):
        return "_PrinterOptions(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


PRINT_OPTS = _PrinterOptions()
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    # PyTorch ignores an unknown profile name silently; so do we.
    if profile in _PROFILES:
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = _PROFILES[profile]
    for name, v in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                    ("linewidth", linewidth)):
        if v is not None:
            setattr(PRINT_OPTS, name, v)
    # Every call resets sci_mode (to automatic when not given), as PyTorch does.
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    return {k: getattr(PRINT_OPTS, k) for k in _PrinterOptions.__slots__}


@contextlib.contextmanager
def printoptions(**kwargs):
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _Formatter:
    """Column width and notation chosen once from the (summarized) values, as PyTorch's _Formatter.
    Widths come from nonzero finite values only: nan/inf/0 never widen a column."""

    def __init__(self, values, floating):
        self.floating, self.int_mode, self.sci_mode, self.width = floating, True, False, 1
        flat = values.reshape(-1)
        if not floating:
            if flat.size:
                self.width = max(1, max(len(str(v)) for v in flat.tolist()))
            return
        nz = flat[np.isfinite(flat) & (flat != 0)]
        if nz.size == 0:
            return
        absv = np.abs(nz)
        lo, hi = float(absv.min()), float(absv.max())
        self.int_mode = bool(np.all(nz == np.ceil(nz)))
        sci = PRINT_OPTS.sci_mode
        self.sci_mode = (hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4) if sci is None else sci
        p = PRINT_OPTS.precision
        vals = nz.tolist()
        if self.sci_mode:
            self.width = max(len(f"{v:.{p}e}") for v in vals)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in vals)
        else:
            self.width = max(len(f"{v:.{p}f}") for v in vals)

    def format(self, v):
        if not self.floating:
            s = str(v)
        elif self.sci_mode:
            s = f"{v:{self.width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            s = f"{v:.0f}" + ("." if math.isfinite(v) else "")
        else:
            s = f"{v:.{PRINT_OPTS.precision}f}"
        return " " * (self.width - len(s)) + s


class _ComplexFormatter:
    """Real and imaginary parts get a formatter each; the element is 'a+bj' with the imag part's
    leading pad dropped."""

    def __init__(self, values):
        self.re, self.im = _Formatter(values.real, True), _Formatter(values.imag, True)
        self.element_width = self.re.width + 2 + self.im.width + 1

    def format(self, v):
        real = self.re.format(v.real)
        imag = (self.im.format(v.imag) + "j").lstrip()
        return real + imag if imag[0] in "+-" else real + "+" + imag


def _summarized(a):
    """The values PyTorch's formatter sees for a summarized tensor (flattened)."""
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a.reshape(-1)
    if a.ndim == 1:
        # a[-0:] is the whole vector: PyTorch slices the same way when edgeitems is 0.
        return np.concatenate((a[:e], a[-e:])) if a.shape[0] > 2 * e else a
    if not e:
        return a.reshape(-1)[:0]
    n = a.shape[0]
    rows = list(range(e)) + list(range(n - e, n)) if n > 2 * e else range(n)
    return np.concatenate([_summarized(a[i]).reshape(-1) for i in rows])


def _vector_str(a, indent, summarize, fmt):
    e = PRINT_OPTS.edgeitems
    element_length = getattr(fmt, "element_width", None) or fmt.width + 2
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    if summarize and not e:
        data = ["..."]
    elif summarize and a.shape[0] > 2 * e:
        data = [fmt.format(v) for v in a[:e].tolist()] + [" ..."] + [fmt.format(v) for v in a[-e:].tolist()]
    else:
        data = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nd_str(a, indent, summarize, fmt):
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, fmt)
    e, n = PRINT_OPTS.edgeitems, a.shape[0]
    if summarize and n > 2 * e:
        slices = [_nd_str(a[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."] + \
                 [_nd_str(a[i], indent + 1, summarize, fmt) for i in range(n - e, n)]
    else:
        slices = [_nd_str(a[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _host_values(t):
    # Every float dtype widens exactly to float64, so Python's formatting of each value is that of
    # PyTorch's .item()/.tolist() doubles.
    host = t.detach()._host_view()
    dt = t._dtype
    if dt.is_complex:
        return host.astype(np.complex128)
    if dt.is_floating_point:
        return host.astype(np.float64)
    return host


def _body(t, indent):
    a = _host_values(t)
    summarize = a.size > PRINT_OPTS.threshold
    stats = _summarized(a) if summarize else a
    if t._dtype.is_complex:
        fmt = _ComplexFormatter(stats)
    else:
        fmt = _Formatter(stats, t._dtype.is_floating_point)
    return _nd_str(a, indent, summarize, fmt)


def _add_suffixes(text, suffixes, indent):
    out = [text]
    # PyTorch's measure of the last line (one more than its length, two without a newline).
    last = len(text) - text.rfind("\n") + 1
    for s in suffixes:
        if last + len(s) + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + s)
            last = indent + len(s)
        else:
            out.append(", " + s)
            last += len(s) + 2
    out.append(")")
    return "".join(out)


def _class_role(cls):
    """(plain, is_parameter): PyTorch prints Tensor and exactly nn.Parameter as 'tensor(' (nn.Buffer
    yields a plain Tensor there); dispatch may not import mstorch, so its classes are known by name."""

    def is_ours(c, name):
        return c.__name__ == name and c.__module__.endswith("torch.nn.parameter")
    plain = cls is Tensor or is_ours(cls, "Parameter") or is_ours(cls, "Buffer")
    return plain, any(is_ours(c, "Parameter") for c in cls.__mro__)


def _default_device_type():
    d = device_context.current()
    return "cpu" if d is None else (d if isinstance(d, str) else d.type)


def _grad_fn_name(node):
    name = node.name() if hasattr(node, "name") else type(node).__name__
    return name.rsplit("::", 1)[-1]


def tensor_repr(t, prefix=None, *, tensor_contents=None):
    plain, is_param = _class_role(type(t))
    if prefix is None:
        prefix = "tensor(" if plain else f"{type(t).__name__}("
    indent = len(prefix)
    dt = t._dtype
    suffixes = []
    meta = t._device is not None and t._device.type == "meta"
    if meta or t.device.type != _default_device_type():
        suffixes.append(f"device='{t.device}'")
    default = _dt.get_default_dtype()
    default_complex = _dt.complex128 if default is _dt.float64 else _dt.complex64
    numel = t.numel()
    if meta:  # no data: PyTorch prints '...' and the size
        suffixes.append(f"size={tuple(t.shape)}")
        if dt is not default:
            suffixes.append(f"dtype={dt}")
        body = "..."
    elif numel == 0:
        if t.dim() != 1:
            suffixes.append(f"size={tuple(t.shape)}")
        if dt is not default:
            suffixes.append(f"dtype={dt}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(t.shape)}")
        if dt not in (default, default_complex, _dt.int64, _dt.bool_):
            suffixes.append(f"dtype={dt}")
        body = None
    if tensor_contents is not None:
        body = tensor_contents
    elif body is None:
        body = _body(t, indent)
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(t._grad_fn)}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    out = _add_suffixes(prefix + body, suffixes, indent)
    if is_param and not plain:
        out = f"Parameter({out})"
    return out

_upcalls.provide(tensor_repr=tensor_repr)
