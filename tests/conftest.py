"""Shared pytest set-up: hypothesis profiles only (keep this file small).

HYPOTHESIS_PROFILE picks one; without it CI (env CI set) gets `ci`, people get `dev`.
"""
import os

from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
