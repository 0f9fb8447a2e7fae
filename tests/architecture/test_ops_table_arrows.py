"""ops_table imports nothing above it (issue #18): arrows go mstorch -> dispatch -> ops_table -> mindspore.

Every ops_table module (but the generated table) is read with `ast`; every `import` and
`from ... import`, at module level and inside functions alike, is checked. What a helper
needs from the dispatcher is handed down to ops_table/common/provided.py, never imported.
Real `torch` is the tests' oracle only: ops_table (samples included) never imports it.
"""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, "ops_table")
FORBIDDEN = ("dispatch", "mstorch", "torch")


def _modules():
    out = []
    for dirpath, dirnames, filenames in os.walk(PKG):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.endswith(".py") and os.path.relpath(path, PKG) != "generated.py":
                out.append(path)
    return out


def _imported_roots(tree):
    """(line, top-level package) of every absolute import in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def forbidden_imports(source):
    return [(line, root) for line, root in _imported_roots(ast.parse(source)) if root in FORBIDDEN]


MODULES = _modules()


def test_modules_found():
    rels = {os.path.relpath(p, PKG) for p in MODULES}
    assert len(MODULES) > 50
    assert os.path.join("common", "backward.py") in rels
    assert "generated.py" not in rels


@pytest.mark.parametrize("path", MODULES, ids=lambda p: os.path.relpath(p, PKG))
def test_imports_go_down(path):
    with open(path, encoding="utf-8") as f:
        bad = forbidden_imports(f.read())
    rel = os.path.relpath(path, ROOT)
    assert not bad, "; ".join(f"{rel}:{line} imports {root}" for line, root in bad)


def test_checker_sees_local_and_dotted_imports():
    src = ("import numpy\nfrom ops_table.common import x\n"
           "def f():\n    from dispatch.opsns import T\n    import mstorch.nn\n"
           "class C:\n    def g(self):\n        import torch\n")
    assert forbidden_imports(src) == [(4, "dispatch"), (5, "mstorch"), (8, "torch")]
    assert forbidden_imports("import torchvision\nfrom . import dispatch\nimport dispatcher\n") == []
