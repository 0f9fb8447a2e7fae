"""torch.fx.node: one operation of a Graph, and the helpers that map over nested arguments."""
import builtins
import types
from typing import Any, Callable, Optional, Union

__all__ = ["Node", "map_arg", "map_aggregate", "has_side_effect", "Target", "Argument"]

# The type names annotations in tracer subclasses use (torch.fx.node.Target / Argument).
Target = Union[Callable[..., Any], str]
Argument = Optional[Union[tuple, list, dict, slice, range, "Node", str, int, float, bool, complex]]

_side_effectful_functions = set()


def has_side_effect(fn):
    _side_effectful_functions.add(fn)
    return fn


def _is_torch_assert(target):
    from mstorch.impl.torch._ns import torch
    from mstorch.impl.torch.fx._symbolic_trace import _assert_is_none
    return target is torch._assert or target is _assert_is_none


def map_aggregate(a, fn):
    """Apply fn to every leaf of a nested tuple / list / dict / slice structure."""
    if isinstance(a, tuple):
        items = [map_aggregate(x, fn) for x in a]
        return type(a)(*items) if hasattr(a, "_fields") else tuple(items)
    if isinstance(a, list):
        return [map_aggregate(x, fn) for x in a]
    if isinstance(a, dict):
        return {k: map_aggregate(v, fn) for k, v in a.items()}
    if isinstance(a, slice):
        return slice(map_aggregate(a.start, fn), map_aggregate(a.stop, fn), map_aggregate(a.step, fn))
    return fn(a)


def map_arg(a, fn):
    """Apply fn to every Node in a nested argument structure."""
    if not callable(fn):
        raise TypeError("torch.fx.map_arg(a, fn): fn must be a callable")
    return map_aggregate(a, lambda x: fn(x) if isinstance(x, Node) else x)


def _qualified_name(func):
    """PyTorch's spelling of a callable in generated code and graph dumps (`torch.relu`, `operator.add`)."""
    name = getattr(func, "__name__", None)
    if name is not None and getattr(builtins, name, None) is func:
        return name
    if isinstance(func, (types.MethodDescriptorType, types.WrapperDescriptorType)):
        return f"{func.__objclass__.__name__}.{name}"
    module = getattr(func, "__module__", None) or "__main__"
    if module == "_operator":
        module = "operator"
    if module.startswith("mstorch.impl."):
        module = module[len("mstorch.impl."):]
    return f"{module}.{name}"


def _format_arg(arg, max_list_len=float("inf")):
    if isinstance(arg, Node):
        return "%" + str(arg)
    if isinstance(arg, tuple) and not hasattr(arg, "_fields"):
        items = ", ".join(_format_arg(a) for a in arg)
        return f"({items},)" if len(arg) == 1 else f"({items})"
    if isinstance(arg, list):
        return "[" + ", ".join(_format_arg(a) for a in arg) + "]"
    if isinstance(arg, dict):
        return "{" + ", ".join(f"{k}: {_format_arg(v)}" for k, v in arg.items()) + "}"
    return str(arg)


class Node:
    """One operation: `op` is placeholder / get_attr / call_function / call_method /
    call_module / output; `target` what it runs; `users` the nodes that read its value."""

    def __init__(self, graph, name, op, target, args, kwargs, return_type=None):
        if op not in ("placeholder", "call_method", "call_module", "call_function", "get_attr", "output", "root"):
            raise ValueError(f"Unsupported node op {op!r}")
        if op == "call_function" and not callable(target):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type {type(target)} but "
                             "a Callable is expected")
        if op in ("placeholder", "call_method", "call_module", "get_attr") and not isinstance(target, str):
            raise ValueError(f"Node [graph = {graph}, name = '{name}'] target {target} has type {type(target)} but "
                             "a str is expected")
        self.graph = graph
        self.name = name
        self.op = op
        self.target = target
        self._input_nodes = {}
        self.users = {}
        self.type = return_type
        self._prev = self._next = self
        self._erased = False
        self.meta = {}
        self._args, self._kwargs = (), {}
        self._update_args_kwargs(tuple(args), dict(kwargs))

    # ---- arguments and uses ----------------------------------------------------------------
    def _update_args_kwargs(self, args, kwargs):
        for old in self._input_nodes:
            old.users.pop(self, None)
        self._input_nodes = {}
        self._args, self._kwargs = args, kwargs
        map_arg(args, lambda n: self._input_nodes.setdefault(n))
        map_arg(kwargs, lambda n: self._input_nodes.setdefault(n))
        for new in self._input_nodes:
            new.users.setdefault(self)

    @property
    def args(self):
        return self._args

    @args.setter
    def args(self, a):
        self._update_args_kwargs(tuple(a), self._kwargs)

    @property
    def kwargs(self):
        return self._kwargs

    @kwargs.setter
    def kwargs(self, k):
        self._update_args_kwargs(self._args, dict(k))

    @property
    def all_input_nodes(self):
        return list(self._input_nodes)

    def update_arg(self, idx, arg):
        args = list(self.args)
        args[idx] = arg
        self.args = tuple(args)

    def update_kwarg(self, key, arg):
        self.kwargs = {**self.kwargs, key: arg}

    def replace_all_uses_with(self, replace_with, delete_user_cb=lambda user: True, *, propagate_meta=False):
        if propagate_meta:
            for k, v in self.meta.items():
                replace_with.meta.setdefault(k, v)
        to_process = list(self.users)
        skipped, result = [], []
        for user in to_process:
            if user is replace_with or not delete_user_cb(user):
                skipped.append(user)
                continue
            user.replace_input_with(self, replace_with)
            result.append(user)
        return result

    def replace_input_with(self, old_input, new_input):
        def swap(n):
            return new_input if n is old_input else n
        self._update_args_kwargs(map_arg(self._args, swap), map_arg(self._kwargs, swap))

    # ---- position in the graph ---------------------------------------------------------------
    @property
    def next(self):
        return self._next

    @property
    def prev(self):
        return self._prev

    def _remove_from_list(self):
        p, n = self._prev, self._next
        p._next, n._prev = n, p
        self._prev = self._next = self

    def prepend(self, x):
        """Insert x before this node (moving it if it is already in the graph)."""
        if x is self:
            return
        x._remove_from_list()
        p = self._prev
        p._next, x._prev = x, p
        x._next, self._prev = self, x

    def append(self, x):
        self._next.prepend(x)

    def is_impure(self):
        if self.op in ("placeholder", "output"):
            return True
        if self.op == "call_function":
            return self.target in _side_effectful_functions or _is_torch_assert(self.target)
        if self.op == "call_method":
            return self.target.endswith("_") and not self.target.endswith("__")
        if self.op == "call_module":
            mod = self.graph.owning_module
            sub = mod.get_submodule(self.target) if mod is not None else None
            return bool(getattr(sub, "_is_impure", False))
        return False

    # ---- printing ---------------------------------------------------------------------------
    def __repr__(self):
        return self.name

    def _pretty_target(self):
        if isinstance(self.target, str):
            return self.target
        return _qualified_name(self.target)

    def format_node(self, placeholder_names=None, maybe_return_typename=None):
        if self.op == "placeholder":
            arg_str = self.target
            if self.args:
                arg_str += f" = {self.args[0]!r}"
            if placeholder_names is not None:
                placeholder_names.append(arg_str)
                return None
            default = f"[default={self.args[0]}]" if self.args else ""
            return f"%{self.name} : [num_users={len(self.users)}] = {self.op}[target={self.target}]{default}"
        if self.op == "get_attr":
            return f"%{self.name} : [num_users={len(self.users)}] = {self.op}[target={self._pretty_target()}]"
        if self.op == "output":
            return f"return {self.args[0]}"
        return (f"%{self.name} : [num_users={len(self.users)}] = {self.op}[target={self._pretty_target()}]"
                f"(args = {_format_arg(self.args)}, kwargs = {_format_arg(self.kwargs)})")
