"""Package metadata for the namespaces mstorch serves.

Libraries check `importlib.metadata.version("torch")` before they use torch. While the
hook is enabled its finder answers those queries (through the standard
`find_distributions` protocol) with the versions in `mstorch.version`.
"""
import importlib.metadata
import pathlib
import re

from mstorch.version import SERVED_VERSIONS


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


class ServedDistribution(importlib.metadata.Distribution):
    def __init__(self, name):
        self._name = name

    def read_text(self, filename):
        if filename in ("METADATA", "PKG-INFO"):
            return (
                "Metadata-Version: 2.1\n"
                f"Name: {self._name}\n"
                f"Version: {SERVED_VERSIONS[self._name]}\n"
                f"Summary: the {self._name} API served by mstorch on MindSpore\n"
            )
        return None

    def locate_file(self, path):
        return pathlib.Path(__file__).parent / path


def find_distributions(context):
    """Distributions for `context.name` (all served ones when the name is None)."""
    wanted = context.name
    for name in SERVED_VERSIONS:
        if wanted is None or _normalize(wanted) == _normalize(name):
            yield ServedDistribution(name)
