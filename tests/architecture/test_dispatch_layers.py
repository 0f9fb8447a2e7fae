"""dispatch/ is layers that import only downward (issue #18).

The import graph is read from the source with `ast`: every `import` / `from ... import`
naming a dispatch module, at module level and inside functions alike (a function-local
import is an import all the same; it only hides a cycle from the interpreter). The test
fails on any cycle and on any import of a module in a higher layer than the importer.
A lower layer that must call up does it through dispatch/upcalls.py, whose slots the upper
modules fill when they are imported.
"""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, "dispatch")

# Lowest first. A module may import modules of its own layer or of lower layers.
LAYERS = {
    "core": [  # dtypes, devices, storage, the Tensor class's own data and geometry, errors
        "mslock", "errors", "dtypes", "dtype_info", "device_context", "device", "size", "layout", "warn_site",
        "grad_mode", "buffers", "mapped_file", "backend", "storage", "torch_function_names", "upcalls", "tensor",
    ],
    "arrays": [  # backend arrays, kernel selection, moving data between host, MindSpore, storages
        "arrays", "writeback", "kernels", "shared_memory", "interop", "devices", "tensor_data", "pyapi",
        "untyped_storage", "typed_storage", "forksafe",
    ],
    "dispatcher": [  # binding, runners built once per op, the call path, the RNG state
        "binder", "overload", "operands", "runners", "dispatcher", "autocast", "meta", "meta_shapes", "meta_calls",
        "outparam", "written_args", "opsns", "direct_views", "usage", "random",
    ],
    "autograd": ["autograd"],  # node, engine, formula evaluation, recording
    "api": [  # what Tensor and torch.* present to Python
        "inplace_views", "methods", "namespace", "torch_function", "indexing", "formatting", "pickling", "legacy",
        "conversion", "sparse", "__init__",
    ],
}
LEVEL = {name: i for i, names in enumerate(LAYERS.values()) for name in names}


def _modules():
    mods = {}
    for dirpath, _, files in os.walk(PKG):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                mods[rel[:-len(".__init__")] if rel.endswith(".__init__") else rel] = path
    return mods


def _layer_of(mod):
    """The layer of a dispatch module: its own name's, else its top-level package's."""
    parts = mod.split(".")[1:] or ["__init__"]
    for k in range(len(parts), 0, -1):
        key = ".".join(parts[:k])
        if key in LEVEL:
            return LEVEL[key]
    return None


def _imports(mod, path, mods):
    """(imported dispatch module, line) for every import statement in the file."""
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    is_pkg = path.endswith("__init__.py")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = mod.split(".")[:None if is_pkg else -1]
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
        else:
            continue
        for t in targets:
            if t.split(".")[0] != "dispatch":
                continue
            while t not in mods and "." in t:
                t = t.rsplit(".", 1)[0]
            if t != mod:
                found.append((t, node.lineno))
    return found


def _graph():
    mods = _modules()
    return mods, {m: _imports(m, p, mods) for m, p in mods.items()}


def _cycles(edges):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w, _ in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def test_every_dispatch_module_has_a_layer():
    mods, _ = _graph()
    assert [m for m in mods if _layer_of(m) is None] == []


def test_no_upward_import():
    mods, edges = _graph()
    names = list(LAYERS)
    upward = [f"{mods[m]}:{line}: {m} ({names[_layer_of(m)]}) imports {t} ({names[_layer_of(t)]})"
              for m, targets in edges.items() for t, line in targets
              if _layer_of(m) is not None and _layer_of(t) is not None and _layer_of(t) > _layer_of(m)]
    assert upward == []


def test_no_import_cycle():
    _, edges = _graph()
    assert _cycles(edges) == []


def test_the_checks_see_cycles_and_local_imports(tmp_path):
    # The reader itself: a function-local import is an edge, and a two-module loop is a cycle.
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from dispatch import b\n")
    mods = {"dispatch.a": str(a), "dispatch.b": str(a)}
    assert _imports("dispatch.a", str(a), mods) == [("dispatch.b", 2)]
    assert _cycles({"dispatch.a": [("dispatch.b", 2)], "dispatch.b": [("dispatch.a", 1)]}) == [
        ["dispatch.a", "dispatch.b"]]


@pytest.mark.parametrize("mod", ["dispatch.tensor", "dispatch.dispatcher", "dispatch.autograd.engine"])
def test_layers_are_what_the_map_says(mod):
    names = list(LAYERS)
    assert names[_layer_of(mod)] == {"dispatch.tensor": "core", "dispatch.dispatcher": "dispatcher",
                                     "dispatch.autograd.engine": "autograd"}[mod]


def test_import_dispatch_fills_every_upcall_slot():
    import dispatch  # noqa: F401
    from dispatch import upcalls
    assert sorted(set(upcalls._SLOTS) - upcalls.filled) == []
