"""Shared pytest set-up: hypothesis profiles only (keep this file small).

HYPOTHESIS_PROFILE picks one; without it CI (env CI set) gets `ci`, people get `dev`.

Tests live in area folders (tests/ops, tests/nn, ...) without __init__.py files, so test file
names must be unique across folders. Loading this file puts tests/ on sys.path (pytest's
default prepend import mode), which is how a test in any folder imports the shared support
modules kept here by bare name (`from childproc import ...`); a support module that serves
one area sits in that area's folder, which pytest puts on sys.path for the tests there.
"""
import os

from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
