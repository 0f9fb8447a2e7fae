"""A script whose torch comes through a library it imports (torch_user_lib)."""
import json
import sys

import torch_user_lib

import torch

print(json.dumps({
    "lib_torch_kind": type(torch_user_lib.torch).__module__,
    "same_module": torch_user_lib.torch is torch is sys.modules["torch"],
    "lib_version_kind": type(torch_user_lib.version).__module__,
}))
