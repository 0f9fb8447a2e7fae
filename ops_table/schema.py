"""Parse PyTorch schema strings such as
`add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`
into plain data the generator writes into the runtime table."""
import ast
import re

from ops_table.dim_args import dim_marks

_SIG = re.compile(r"^\s*([\w.]+)\((.*)\)\s*->\s*(.+?)\s*$")
NO_DEFAULT = "<required>"


def _split_top(text, sep=","):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def _default(text, typ):
    text = text.strip()
    if text == "None":
        return None
    if text in ("True", "False"):
        return text == "True"
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return tuple(ast.literal_eval(x) for x in inner.split(",")) if inner else ()
    if typ.startswith("ScalarType"):
        return text  # a dtype name, resolved by the dispatcher
    if text.startswith('"') or text.startswith("'"):
        return ast.literal_eval(text)
    if text in ("contiguous_format", "preserve_format", "strided"):
        return text
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"cannot parse default {text!r}")


def parse(schema):
    m = _SIG.match(schema)
    if not m:
        raise ValueError(f"bad schema: {schema!r}")
    full_name, arg_text, ret_text = m.groups()
    name, _, overload = full_name.partition(".")
    args, kwonly = [], False
    for part in _split_top(arg_text):
        if part == "*":
            kwonly = True
            continue
        decl, eq, default = part.partition("=")
        bits = decl.strip().rsplit(None, 1)
        if len(bits) != 2:
            raise ValueError(f"bad argument {part!r} in {schema!r}")
        typ, aname = bits
        default = default if eq else None
        # `Tensor... tensors`: a Python varargs list (torch.meshgrid(a, b) as well as
        # torch.meshgrid([a, b])); its type is Tensor[].
        varargs = typ.endswith("...")
        if varargs:
            if typ != "Tensor..." or eq or kwonly:
                raise ValueError(f"bad varargs argument {part!r} in {schema!r}: only a positional `Tensor... name`")
            typ = "Tensor[]"
        # Alias annotations like Tensor(a -> *) only document aliasing; a `!` says the op
        # writes the argument, which the dispatcher needs for kernels that write in place.
        typ = typ.replace(" ", "")
        writes = False
        if typ.startswith("Tensor(") and ")" in typ:
            writes = "!" in typ[:typ.index(")")]
            typ = "Tensor" + typ[typ.index(")") + 1:]
        arg = {"name": aname, "type": typ, "default": NO_DEFAULT if default is None else _default(default, typ),
               "kwonly": kwonly}
        if writes:
            arg["writes"] = True
        if varargs:
            arg["varargs"] = True
        # Dimension parameters: the binder checks them against the input's rank (ops_table/dim_args.py).
        arg.update(dim_marks(name, aname, typ))
        args.append(arg)
    ret_text = ret_text.strip()
    if ret_text.startswith("("):
        rets = _split_top(ret_text[1:-1])
    else:
        rets = [ret_text]
    returns = []
    for r in rets:
        bits = r.split()
        returns.append({"type": bits[0], "name": bits[1] if len(bits) > 1 else None})
    return {"name": name, "overload": overload, "args": args, "returns": returns}
