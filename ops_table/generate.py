"""Generate ops_table/generated.py (the runtime table) and docs/supported_ops.md from the entries.

    python -m ops_table.generate          write both files
    python -m ops_table.generate --check  exit 1 if either checked-in file is stale
"""
import ast
import importlib
import pprint
import sys
from pathlib import Path

from ops_table.schema import parse
from ops_table.spec import MS_BACKENDS

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "ops_table" / "generated.py"
DOC = ROOT / "docs" / "supported_ops.md"


PKG = ROOT / "ops_table"
# Folders of the layout before families (issue #18): a module left there would be silently
# ignored, so its presence is an error.
_STALE = ("entries", "kernels", "composites")


def families():
    """The op families: the folders of ops_table/ holding an entries.py, sorted."""
    stale = [f"ops_table/{d}/" for d in _STALE if (PKG / d).exists() and any((PKG / d).glob("*.py"))]
    if stale:
        raise SystemExit(f"stale modules of the old layout in {', '.join(stale)}: move them into "
                         "ops_table/<family>/ (see ops_table/README.md)")
    return sorted(d.name for d in PKG.iterdir() if (d / "entries.py").is_file())


def load_entries():
    """(family, entry) for every family's entries.py, in a stable order."""
    out = []
    for family in families():
        module = importlib.import_module(f"ops_table.{family}.entries")
        for e in module.ENTRIES:
            out.append((family, e))
    return out


def qualified_name(fn, where):
    """`module.function` of a function an entry references (resolved lazily at run time)."""
    mod, name = getattr(fn, "__module__", None), getattr(fn, "__name__", None)
    module = sys.modules.get(mod)
    if module is not None and (name is None or getattr(module, name, None) is not fn):
        # built by a factory in its module (`check_conv1d = _checker(1, "conv1d")`)
        name = next((k for k, v in vars(module).items() if v is fn and not k.startswith("__")), None)
    if module is None or name is None:  # a functools.partial...: the module that names it
        found = [(m, k) for m, mo in sorted(sys.modules.items()) if m.startswith("ops_table.") and mo is not None
                 for k, v in vars(mo).items() if v is fn and not k.startswith("__")]
        if not found:
            raise ValueError(f"{where}: {fn!r} is not a module-level function")
        mod, name = found[0]
    return f"{mod}.{name}"


def kernel_spec(k, where):
    """The table's spelling of one candidate: `fn:`/`composite:` + qualified name for a
    function (a composite is a function of a family's composites.py), else the string."""
    if isinstance(k, str):
        kind = k.partition(":")[0]
        if kind not in ("prim", "ops", "mint", "np"):
            raise ValueError(f"{where}: {k!r}: kernel functions are referenced, not named by strings")
        return k
    name = qualified_name(k, where)
    return ("composite:" if name.rsplit(".", 2)[-2] == "composites" else "fn:") + name


def kernel_columns(kernels, where):
    """Per-backend candidate lists, the `default` column expanded to each MindSpore backend."""
    cols = {b: [kernel_spec(k, where) for k in ks] for b, ks in kernels.items()}
    default = cols.pop("default", None)
    if default is not None:
        for b in MS_BACKENDS:
            cols.setdefault(b, list(default))
    return cols


def _ref(fn, where):
    if fn is None:
        return None
    if isinstance(fn, str):
        raise ValueError(f"{where}: {fn!r}: checks and views are referenced as functions, not strings")
    return qualified_name(fn, where)


def _names_used(expr):
    return {n.id for n in ast.walk(ast.parse(expr, mode="eval")) if isinstance(n, ast.Name)}


# The table's `backward` of an op whose overloads each carry their own formula dict.
PER_OVERLOAD = "per_overload"


def _formula_saves(where, formulas, arg_names):
    """The argument names (and result/results) the formulas read, which the forward must save."""
    saves = set()
    for arg, expr in formulas.items():
        if arg not in arg_names:
            raise ValueError(f"{where}: backward names unknown argument {arg!r}")
        saves |= _names_used(expr) & (arg_names | {"result", "results"})
    return saves


def build_table(entries):
    table = {}
    for family, e in entries:
        overloads = [parse(s) for s in e["schemas"]]
        name = overloads[0]["name"]
        if any(o["name"] != name for o in overloads):
            raise ValueError(f"overloads of {name} must share its name")
        if name in table:
            raise ValueError(f"duplicate entry for {name}")
        arg_names = {a["name"] for o in overloads for a in o["args"]}
        backward = e["backward"]
        saves = set()
        if isinstance(backward, list):
            # One formula dict per overload: each sees only its own overload's arguments.
            for ov, formulas in zip(overloads, backward):
                if not isinstance(formulas, dict):
                    raise ValueError(f"{name}.{ov['overload']}: a per-overload backward must be a dict of formulas")
                saves |= _formula_saves(f"{name}.{ov['overload']}", formulas, {a["name"] for a in ov["args"]})
                ov["backward"] = formulas
            backward = PER_OVERLOAD
        elif isinstance(backward, dict):
            saves = _formula_saves(name, backward, arg_names)
        elif backward not in (None, "nondiff"):
            raise ValueError(f"{name}: backward must be a dict of formulas (or a list of them, one per "
                             "overload), 'nondiff' or None")
        table[name] = {
            "family": family,
            "overloads": overloads,
            "variants": list(e["variants"]),
            "namespaces": list(e["namespaces"]),
            "aliases": list(e["aliases"]),
            "dunders": list(e["dunders"]),
            "promote": e["promote"],
            "kernels": kernel_columns(e["kernels"], name),
            "backward": backward,
            "saves": sorted(saves),
            "nondiff_outputs": list(e["nondiff_outputs"]),
            "view": _ref(e["view"], name),
            "check": _ref(e["check"], name),
            "compute_dtypes": e["compute_dtypes"],
            "factory_dtype": e["factory_dtype"],
            "doc": e["doc"],
        }
    return table


def render_table(table):
    body = pprint.pformat(table, width=110, sort_dicts=True)
    return ("# Generated by `python -m ops_table.generate` from ops_table/<family>/entries.py; do not edit.\n"
            f"OPS = {body}\n")


def render_doc(table):
    lines = ["# Supported ops", "",
             "Generated from `ops_table/<family>/entries.py` by `python -m ops_table.generate`. The `cpu` and `host` columns "
             "run in CI; `ascend` and `gpu` candidates are *declared, not run*: CI checks only that each resolves "
             "to a callable in the installed MindSpore.", "",
             f"{len(table)} ops.", "",
             "| op | namespaces | variants | cpu | host | ascend (declared, not run) | gpu (declared, not run) | backward |",
             "|---|---|---|---|---|---|---|---|"]
    for name in sorted(table):
        e = table[name]
        k = e["kernels"]
        bw = "nondiff" if e["backward"] == "nondiff" else ("formula" if e["backward"] else
                                                          ("composite" if any(c.startswith("composite:") for c in
                                                                              k.get("cpu", [])) else "—"))
        if e["view"]:
            bw = bw + " (view)"
        lines.append(f"| `{name}` | {', '.join(e['namespaces'])} | {', '.join(e['variants'])} | "
                     f"{'<br>'.join(k.get('cpu', [])) or '—'} | {'<br>'.join(k.get('host', [])) or '—'} | "
                     f"{'<br>'.join(k.get('ascend', [])) or '—'} | {'<br>'.join(k.get('gpu', [])) or '—'} | {bw} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    table = build_table(load_entries())
    outputs = {TABLE: render_table(table), DOC: render_doc(table)}
    if "--check" in argv:
        stale = [str(p.relative_to(ROOT)) for p, text in outputs.items()
                 if not p.exists() or p.read_text() != text]
        if stale:
            print("stale generated files (run `python -m ops_table.generate`): " + ", ".join(stale))
            return 1
        return 0
    for p, text in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    print(f"wrote {len(table)} ops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
