"""Every name an ops-table entry references resolves, and resolves inside the entry's own
family folder (ops_table/<family>/) or ops_table/common/: an op's whole story is in one place.

Checked: kernel functions and composites (every backend column), argument checks, view
geometries, the helpers its backward formulas call, and its custom sample generators."""
import ast
import builtins
import importlib

import pytest

from ops_table.generate import families, load_entries
from ops_table.generated import OPS
from dispatch import kernels
from dispatch.autograd.formula import backward_helpers, namespace

# References to another family's code, each with its reason (none today: shared code lives
# in ops_table/common/).
EXCEPTIONS = {}


def _home(qualified):
    parts = qualified.split(".")
    return parts[1] if parts[0] == "ops_table" and len(parts) > 2 else None


def _refs(name, entry):
    for backend, specs in entry["kernels"].items():
        for spec in specs:
            kind, _, path = spec.partition(":")
            if kind in ("fn", "composite"):
                yield f"kernel[{backend}]", path
    for key in ("check", "view"):
        if entry[key]:
            yield key, entry[key]


def test_every_kernel_check_and_view_resolves_inside_its_family():
    bad = []
    for name, entry in OPS.items():
        for what, path in _refs(name, entry):
            kind = "composite" if what.startswith("kernel") and ".composites." in path else "fn"
            if kernels.resolve(f"{kind}:{path}") is None:
                bad.append(f"{name}: {what} {path} does not resolve")
            home = _home(path)
            if home not in (entry["family"], "common") and (name, path) not in EXCEPTIONS:
                bad.append(f"{name} ({entry['family']}): {what} {path} lives in {home}")
    assert not bad, "\n".join(bad)


def test_every_name_a_backward_formula_calls_is_its_familys_or_common():
    bad = []
    for name, entry in OPS.items():
        backward = entry["backward"]
        if backward == "per_overload":
            # Each overload's formulas see only that overload's arguments.
            formulas = [(ov["backward"], {a["name"] for a in ov["args"]}) for ov in entry["overloads"]]
        elif isinstance(backward, dict):
            formulas = [(backward, {a["name"] for ov in entry["overloads"] for a in ov["args"]})]
        else:
            continue
        scope = namespace(name)
        for formula_dict, args in formulas:
            _check_formula_names(name, entry, scope, formula_dict, args, bad)
    assert not bad, "\n".join(bad)


def _check_formula_names(name, entry, scope, formula_dict, args, bad):
    local = args | {"grad", "grads", "result", "results", "needs", "T"}
    for arg, expr in formula_dict.items():
        tree = ast.parse(expr, mode="eval")
        bound = {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
        bound |= {t.id for n in ast.walk(tree) if isinstance(n, ast.comprehension)
                  for t in ast.walk(n.target) if isinstance(t, ast.Name)}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in local | bound:
                if n.id in ("dir", "locals", "globals"):
                    bad.append(f"{name}: formula for {arg} probes its scope with {n.id}(): write one formula "
                               "dict per overload instead")
                    continue
                if hasattr(builtins, n.id):
                    continue
                fn = scope.get(n.id)
                if fn is None:
                    bad.append(f"{name}: formula for {arg} calls {n.id}, not in common/ or {entry['family']}/")
                    continue
                home = _home(fn.__module__)
                if home not in (entry["family"], "common"):
                    bad.append(f"{name}: formula for {arg} calls {fn.__module__}.{n.id}")


def test_family_backward_helpers_do_not_shadow_common_ones():
    common = backward_helpers(importlib.import_module("ops_table.common.backward"))
    clashes = []
    for fam in families():
        try:
            module = importlib.import_module(f"ops_table.{fam}.backward")
        except ModuleNotFoundError:
            continue
        clashes += [f"{fam}.{k}" for k in backward_helpers(module) if k in common]
    assert not clashes, clashes


def _custom_names(sample):
    out = []

    def walk(v):
        if isinstance(v, dict):
            if v.get("kind") == "custom":
                out.append(v["name"])
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
    walk(sample)
    return out


def test_custom_samples_live_in_the_entrys_family():
    from tests.parity import custom_samples
    registry = custom_samples._registry()
    bad = []
    for family, entry in load_entries():
        for name in _custom_names(entry["samples"]):
            if not any(name in registry.get(where, {}) for where in (family, "common", None)):
                owners = [f for f, g in registry.items() if f and name in g]
                bad.append(f"{entry['schemas'][0][:40]} ({family}): custom({name!r}) is in {owners or 'nowhere'}")
    assert not bad, "\n".join(bad)


def test_family_samples_do_not_import_torch():
    bad = []
    for fam in families():
        path = importlib.import_module("ops_table").__path__[0] + f"/{fam}/samples.py"
        try:
            tree = ast.parse(open(path).read())
        except FileNotFoundError:
            continue
        for n in ast.walk(tree):
            names = [a.name for a in n.names] if isinstance(n, ast.Import) else \
                [n.module or ""] if isinstance(n, ast.ImportFrom) else []
            if any(x == "torch" or x.startswith("torch.") for x in names):
                bad.append(f"ops_table/{fam}/samples.py imports torch")
    assert not bad, bad


@pytest.mark.parametrize("stale", ["entries", "kernels", "composites"])
def test_generate_refuses_a_stale_old_layout_module(tmp_path, monkeypatch, stale):
    import ops_table.generate as gen
    (tmp_path / stale).mkdir()
    (tmp_path / stale / "leftover.py").write_text("")
    monkeypatch.setattr(gen, "PKG", tmp_path)
    with pytest.raises(SystemExit, match=f"ops_table/{stale}/"):
        gen.families()


def test_custom_sample_names_are_unique_across_families():
    # The parity strategies look a generator up by its name alone.
    import collections
    from tests.parity import custom_samples
    count = collections.Counter(name for gens in custom_samples._registry().values() for name in gens)
    assert not [name for name, n in count.items() if n > 1]
