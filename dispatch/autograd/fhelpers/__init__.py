"""Functions backward formulas may call besides the table's ops, one module per op family.

Every public function of every module here is visible to formulas by name."""
import importlib
import pkgutil


def collect():
    names = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for k in dir(module):
            v = getattr(module, k)
            if not k.startswith("_") and callable(v) and getattr(v, "__module__", None) == module.__name__:
                names[k] = v
    return names
