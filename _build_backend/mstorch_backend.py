"""PEP 517 backend: setuptools, plus the start-up `.pth` file put into every wheel.

A `.pth` file must sit at the top of site-packages, which setuptools cannot place there
itself, and editable wheels (`pip install -e .`) would drop it anyway. So both
`build_wheel` and `build_editable` add it to the finished wheel and its RECORD.
"""
import base64
import hashlib
import os
import zipfile

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403  (the rest of the PEP 517 interface)

PTH_NAME = "mstorch-startup.pth"
# site.py executes `import` lines of .pth files at every interpreter start. With the
# variable unset or "0" this is one dict lookup: mstorch is not even imported. Sorting
# after "__editable__*.pth" matters: under an editable install mstorch is importable
# only once that file has run.
PTH_LINE = ('import os; os.environ.get("MSTORCH_ENABLE", "") not in ("", "0") '
            'and __import__("mstorch").enable()\n')


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    _add_pth(os.path.join(wheel_directory, name))
    return name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    _add_pth(os.path.join(wheel_directory, name))
    return name


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}\n"


def _add_pth(wheel_path):
    data = PTH_LINE.encode()
    tmp = wheel_path + ".tmp"
    with zipfile.ZipFile(wheel_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        record = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        for item in src.infolist():
            if item.filename != record:
                dst.writestr(item, src.read(item.filename))
        dst.writestr(PTH_NAME, data)
        lines = src.read(record).decode()
        if lines and not lines.endswith("\n"):
            lines += "\n"
        dst.writestr(record, lines + _record_line(PTH_NAME, data))
    os.replace(tmp, wheel_path)
