"""torch.fx.graph: the Graph (a doubly linked list of Nodes) and its Python code generation."""
import builtins
import contextlib
import inspect
import keyword
import math
import re

from mstorch.impl.torch.fx.node import Node, _qualified_name, map_arg

__all__ = ["Graph", "PythonCode"]

# What generated code prints for operator targets (PyTorch's tables).
reflectable_magic_methods = {
    "add": "{} + {}", "sub": "{} - {}", "mul": "{} * {}", "floordiv": "{} // {}", "truediv": "{} / {}",
    "div": "{} / {}", "mod": "{} % {}", "pow": "{} ** {}", "lshift": "{} << {}", "rshift": "{} >> {}",
    "and_": "{} & {}", "or_": "{} | {}", "xor": "{} ^ {}", "getitem": "{}[{}]", "matmul": "{} @ {}",
}
magic_methods = {
    "eq": "{} == {}", "ne": "{} != {}", "lt": "{} < {}", "gt": "{} > {}", "le": "{} <= {}", "ge": "{} >= {}",
    "pos": "+{}", "neg": "-{}", "invert": "~{}", **reflectable_magic_methods,
}
inplace_methods = {
    "iadd": "{} += {}", "iand": "{} &= {}", "ifloordiv": "{} //= {}", "ilshift": "{} <<= {}", "imod": "{} %= {}",
    "imul": "{} *= {}", "imatmul": "{} @= {}", "ior": "{} |= {}", "ipow": "{} **= {}", "irshift": "{} >>= {}",
    "isub": "{} -= {}", "itruediv": "{} /= {}", "ixor": "{} ^= {}", "setitem": "{}[{}] = {}",
}

_snake_case_sub = re.compile(r"(?<=[a-z])([A-Z])").sub
_illegal_char_regex = re.compile("[^0-9a-zA-Z_]+")
_name_suffix_regex = re.compile(r"(.*)_(\d+)$")


def _snake_case(s):
    return _snake_case_sub(r"_\1", s).lower()


def _custom_builtins():
    from mstorch.impl.torch._ns import torch
    return {"inf": math.inf, "nan": math.nan, "NoneType": type(None), "torch": torch, "device": torch.device}


_CUSTOM_BUILTIN_NAMES = ("inf", "nan", "NoneType", "torch", "device", "fx_pytree", "pytree")


class _Namespace:
    """Unique Python identifiers for nodes and globals (`add`, `add_1`, ...)."""

    def __init__(self):
        self._obj_to_name = {}
        self._used_names = set()
        self._base_count = {}

    def create_name(self, candidate, obj):
        if obj is not None and obj in self._obj_to_name:
            return self._obj_to_name[obj]
        candidate = _illegal_char_regex.sub("_", candidate) or "_unnamed"
        if candidate[0].isdigit():
            candidate = f"_{candidate}"
        match = _name_suffix_regex.match(candidate)
        if match is None:
            base, num = candidate, None
        else:
            base, num = match.group(1), int(match.group(2))
        candidate = base if num is None else f"{base}_{num}"
        if not num:
            num = self._base_count.get(base, 0)
        while candidate in self._used_names or self._is_illegal_name(candidate, obj):
            num += 1
            candidate = f"{base}_{num}"
        self._used_names.add(candidate)
        self._base_count[base] = num
        if obj is not None:
            self._obj_to_name[obj] = candidate
        return candidate

    def associate_name_with_obj(self, name, obj):
        self._obj_to_name[obj] = name

    def _is_illegal_name(self, name, obj):
        if name in keyword.kwlist:
            return True
        if name in builtins.__dict__:
            return obj is not builtins.__dict__[name]
        if name in _CUSTOM_BUILTIN_NAMES:
            return True
        return False


def _format_target(base, target):
    r = base
    for e in target.split("."):
        r = f"{r}.{e}" if e.isidentifier() else f'getattr({r}, "{e}")'
    return r


def _is_from_torch(obj):
    module = getattr(obj, "__module__", None) or ""
    return module.partition(".")[0] == "torch"


class PythonCode:
    """The generated source of a Graph and the globals it runs with."""

    def __init__(self, src, globals_):
        self.src = src
        self.globals = globals_


class _NodeList:
    def __init__(self, graph, direction="_next"):
        self._graph, self._direction = graph, direction

    def __len__(self):
        return self._graph._len

    def __iter__(self):
        root = self._graph._root
        cur = getattr(root, self._direction)
        while cur is not root:
            nxt = getattr(cur, self._direction)
            if not cur._erased:
                yield cur
            cur = nxt

    def __reversed__(self):
        return iter(_NodeList(self._graph, "_prev" if self._direction == "_next" else "_next"))


class Graph:
    """The IR of torch.fx: Nodes in execution order; `python_code()` turns it into a `forward`."""

    def __init__(self, owning_module=None, tracer_cls=None, tracer_extras=None):
        self._root = Node(self, "", "root", "", (), {})
        self._namespace = _Namespace()
        self._len = 0
        self._insert = self._root.prepend
        self.owning_module = owning_module
        self._tracer_cls = tracer_cls
        self._tracer_extras = tracer_extras

    @property
    def nodes(self):
        return _NodeList(self)

    def find_nodes(self, *, op, target=None, sort=True):
        return [n for n in self.nodes if n.op == op and (target is None or n.target == target)]

    # ---- building --------------------------------------------------------------------------
    def _target_to_str(self, target):
        if callable(target):
            op = target.__name__
        else:
            op = target
            if op.startswith("__") and op.endswith("__"):
                op = op[2:-2]
        return _snake_case(op)

    def create_node(self, op, target, args=None, kwargs=None, name=None, type_expr=None):
        args = () if args is None else args
        kwargs = {} if kwargs is None else kwargs
        if not isinstance(args, tuple):
            raise TypeError("args must be a tuple")
        if not isinstance(kwargs, dict):
            raise TypeError("kwargs must be a dict")
        candidate = name if name is not None else self._target_to_str(target)
        name = self._namespace.create_name(candidate, None)
        n = Node(self, name, op, target, args, kwargs, type_expr)
        self._namespace.associate_name_with_obj(name, n)
        self._insert(n)
        self._len += 1
        return n

    def placeholder(self, name, type_expr=None, default_value=inspect.Signature.empty):
        args = () if default_value is inspect.Signature.empty else (default_value,)
        return self.create_node("placeholder", name, args=args, type_expr=type_expr)

    def get_attr(self, qualified_name, type_expr=None):
        return self.create_node("get_attr", qualified_name, type_expr=type_expr)

    def call_module(self, module_name, args=None, kwargs=None, type_expr=None):
        return self.create_node("call_module", module_name, args, kwargs, type_expr=type_expr)

    def call_method(self, method_name, args=None, kwargs=None, type_expr=None):
        return self.create_node("call_method", method_name, args, kwargs, type_expr=type_expr)

    def call_function(self, the_function, args=None, kwargs=None, type_expr=None, name=None):
        return self.create_node("call_function", the_function, args, kwargs, name=name, type_expr=type_expr)

    def output(self, result, type_expr=None):
        return self.create_node("output", "output", (result,), type_expr=type_expr)

    def node_copy(self, node, arg_transform=lambda x: x):
        args = map_arg(node.args, arg_transform)
        kwargs = map_arg(node.kwargs, arg_transform)
        result = self.create_node(node.op, node.target, args, kwargs, node.name, node.type)
        result.meta = dict(node.meta)
        return result

    def graph_copy(self, g, val_map, return_output_node=False):
        """Copy g's nodes into this graph (val_map: g's nodes -> ours, filled in); returns what
        g's output returns, mapped."""
        for node in g.nodes:
            if node in val_map:
                continue
            if node.op == "output":
                rv = map_arg(node.args[0], lambda n: val_map[n])
                return (rv, node) if return_output_node else rv
            val_map[node] = self.node_copy(node, lambda n: val_map[n])
        return None

    def __deepcopy__(self, memo=None):
        # Node by node (a recursive deepcopy of the linked list would exceed the recursion limit).
        memo = memo if memo else {}
        g = Graph(tracer_cls=self._tracer_cls)
        out = g.graph_copy(self, val_map=memo, return_output_node=True)
        if out is not None:
            rv, old = out
            new = g.output(rv, type_expr=old.type)
            new.meta = dict(old.meta)
        return g

    def erase_node(self, to_erase):
        if len(to_erase.users) > 0:
            raise RuntimeError(f"Tried to erase Node {to_erase} but it still had {len(to_erase.users)} users in the "
                               f"graph: {to_erase.users}!")
        if to_erase.graph is not self:
            raise RuntimeError(f"Attempting to remove {to_erase} from wrong graph!")
        if to_erase._erased:
            return
        to_erase._remove_from_list()
        to_erase._erased = True
        self._len -= 1
        to_erase._update_args_kwargs((), {})

    @contextlib.contextmanager
    def inserting_before(self, n=None):
        if n is None:
            with self.inserting_after(self._root):
                yield
            return
        old, self._insert = self._insert, n.prepend
        try:
            yield
        finally:
            self._insert = old

    @contextlib.contextmanager
    def inserting_after(self, n=None):
        if n is None:
            with self.inserting_before(self._root):
                yield
            return
        old, self._insert = self._insert, n.append
        try:
            yield
        finally:
            self._insert = old

    def eliminate_dead_code(self, is_impure_node=None):
        changed = False
        for node in reversed(self.nodes):
            impure = is_impure_node(node) if is_impure_node is not None else node.is_impure()
            if not impure and len(node.users) == 0:
                self.erase_node(node)
                changed = True
        return changed

    def lint(self):
        seen, names = set(), set()
        for node in self.nodes:
            if node.graph is not self:
                raise RuntimeError(f"Node '{node}' does not belong to this Graph!")
            for arg in node._input_nodes:
                if arg.graph is not self:
                    raise RuntimeError(f"Argument '{arg}' of Node '{node}' does not belong to this Graph, but was "
                                       "used as an argument! If you are copying nodes from another graph, make sure "
                                       "to use ``arg_transform`` on node_copy() to remap values")
                if arg not in seen:
                    raise RuntimeError(f"Argument '{arg}' of Node '{node}' was used before it has been defined! "
                                       "Please check that Nodes in the graph are topologically ordered")
            if node.name in names:
                raise RuntimeError(f"Node redefined name {node.name}!")
            seen.add(node)
            names.add(node.name)
        if self.owning_module is not None:
            for node in self.nodes:
                if node.op in ("get_attr", "call_module"):
                    obj = self.owning_module
                    for i, atom in enumerate(node.target.split(".")):
                        if not hasattr(obj, atom):
                            raise RuntimeError(f"Node {node} target {node.target} references nonexistent attribute "
                                               f"{atom} of {'.'.join(node.target.split('.')[:i]) or 'root'}")
                        obj = getattr(obj, atom)

    # ---- printing and code generation ----------------------------------------------------------
    def __str__(self):
        lines = ["    " + node.format_node() for node in self.nodes]
        return "graph():\n" + "\n".join(lines)

    __repr__ = object.__repr__

    def print_tabular(self):
        try:
            from tabulate import tabulate
        except ImportError:
            print("`print_tabular` relies on the library `tabulate`, which could not be found on this machine. Run "
                  "`pip install tabulate` to install the library.")
            raise
        specs = [[n.op, n.name, n.target, n.args, n.kwargs] for n in self.nodes]
        print(tabulate(specs, headers=["opcode", "name", "target", "args", "kwargs"]))

    def python_code(self, root_module, *, verbose=False, include_stride=False, include_device=False,
                    colored=False):
        if verbose or include_stride or include_device or colored:
            raise NotImplementedError("mstorch: Graph.python_code(verbose/include_stride/include_device/colored) "
                                      "is not supported")
        return _CodeGen(self, root_module).generate()

    def on_generate_code(self, make_transformer):
        raise NotImplementedError("mstorch: torch.fx.Graph.on_generate_code is not supported")


class _CodeGen:
    """PyTorch's Python code generation for a Graph, line for line: each node one statement,
    values freed after their last use (`;  x = None`)."""

    def __init__(self, graph, root_module):
        self.graph, self.root_module = graph, root_module
        self.namespace = _Namespace()
        self.globals = dict(_custom_builtins())
        for name in self.globals:
            self.namespace._used_names.add(name)
        self.wrapped_fns = {}

    def add_global(self, name_hint, obj):
        if _is_from_torch(obj) or _torch_name(obj) is not None:
            return _torch_name(obj) or _qualified_name(obj)
        name = self.namespace.create_name(name_hint, obj)
        self.globals[name] = obj
        return name

    def type_repr(self, o):
        if o is None or isinstance(o, str):
            return repr(o) if isinstance(o, str) else "None"
        if isinstance(o, type):
            return self.add_global(o.__name__, o)
        return repr(o).replace("typing.", "")

    def get_repr(self, arg):
        if isinstance(arg, Node):
            return repr(arg)
        if isinstance(arg, tuple) and hasattr(arg, "_fields"):
            name = self.add_global(type(arg).__name__, type(arg))
            return f"{name}{tuple(arg)!r}"
        import enum
        if isinstance(arg, enum.Enum):
            return f"{self.add_global(type(arg).__name__, type(arg))}.{arg.name}"
        if callable(arg) and not isinstance(arg, type) and hasattr(arg, "__name__"):
            return self.add_global(arg.__name__, arg)
        if isinstance(arg, (list, tuple)):
            inner = ", ".join(self.get_repr(a) for a in arg)
            if isinstance(arg, list):
                return f"[{inner}]"
            return f"({inner},)" if len(arg) == 1 else f"({inner})"
        if isinstance(arg, dict):
            return "{" + ", ".join(f"{k!r}: {self.get_repr(v)}" for k, v in arg.items()) + "}"
        return repr(arg)

    def format_args(self, args, kwargs):
        res = [self.get_repr(a) for a in args]
        res.extend(f"{k} = {self.get_repr(v)}" for k, v in kwargs.items())
        return ", ".join(res)

    def generate(self):
        nodes = list(self.graph.nodes)
        for node in nodes:
            self.namespace.create_name(node.name, node)
        user_to_last_uses = {}
        seen = set()
        for node in reversed(nodes):
            for n in node._input_nodes:
                if n not in seen:
                    seen.add(n)
                    user_to_last_uses.setdefault(node, []).append(n)
        body, free_vars = [], []
        for node in nodes:
            ann = "" if node.type is None else f" : {self.type_repr(node.type)}"
            self.emit(node, ann, body, free_vars)
            if node.op == "placeholder":
                continue
            if node.op == "output":
                body.append("\n")
                continue
            to_delete = list(user_to_last_uses.get(node, []))
            if not node.users:
                to_delete.append(node)
            if to_delete:
                body.append(";  " + " = ".join([repr(n) for n in to_delete] + ["None"]) + "\n")
            else:
                body.append("\n")
        if not any(n.op == "output" for n in nodes):
            body.append("return None\n")
        wrap_stmts = ""
        if self.wrapped_fns:
            from mstorch.impl.torch.fx._symbolic_trace import wrap
            wrap_name = self.add_global("wrap", wrap)
            wrap_stmts = "\n".join(f'{wrap_name}("{name}")' for name in self.wrapped_fns)
        code = "".join(body).lstrip("\n")
        code = "\n".join("    " + line for line in code.split("\n"))
        prologue = f"def forward({', '.join([self.root_module] + free_vars)}):"
        src = f"\n{wrap_stmts}\n\n{prologue}\n{code}"
        return PythonCode(src, self.globals)

    def emit(self, node, ann, body, free_vars):
        op = node.op
        if op == "placeholder":
            default = f" = {self.get_repr(node.args[0])}" if node.args else ""
            free_vars.append(f"{node.target}{ann}{default}")
            if node.name != node.target:
                body.append(f"{node.name} = {node.target}")
                body.append("\n")
            return
        if op == "call_method":
            body.append(f"{node.name}{ann} = {_format_target(repr(node.args[0]), node.target)}"
                        f"({self.format_args(node.args[1:], node.kwargs)})")
            return
        if op == "call_function":
            target = node.target
            tname = getattr(target, "__name__", "")
            if getattr(target, "__module__", "") == "_operator" and tname in magic_methods:
                body.append(f"{node.name}{ann} = {magic_methods[tname].format(*(repr(a) for a in node.args))}")
                return
            if getattr(target, "__module__", "") == "_operator" and tname in inplace_methods:
                body.append(f"{inplace_methods[tname].format(*(repr(a) for a in node.args))};  "
                            f"{node.name}{ann} = {node.args[0]!r}")
                return
            global_name = self.add_global(_qualified_name(target), target)
            if global_name == "getattr" and len(node.args) == 2 and isinstance(node.args[1], str) and \
                    node.args[1].isidentifier():
                body.append(f"{node.name}{ann} = {_format_target(repr(node.args[0]), node.args[1])}")
                return
            body.append(f"{node.name}{ann} = {global_name}({self.format_args(node.args, node.kwargs)})")
            if node.meta.get("is_wrapped", False):
                self.wrapped_fns.setdefault(global_name)
            return
        if op == "call_module":
            body.append(f"{node.name}{ann} = {_format_target(self.root_module, node.target)}"
                        f"({self.format_args(node.args, node.kwargs)})")
            return
        if op == "get_attr":
            body.append(f"{node.name}{ann} = {_format_target(self.root_module, node.target)}")
            return
        if op == "output":
            ret = "" if node.type is None else f" -> {self.type_repr(node.type)}"
            if ret:
                # the return annotation belongs on the def line
                pass
            body.append(f"return {self.get_repr(node.args[0])}")
            return
        raise NotImplementedError(f"node: {op} {node.target}")


def _torch_name(obj):
    """`torch.X` for mstorch's own objects that torch serves under that name (torch.Tensor)."""
    name = getattr(obj, "__name__", None)
    module = getattr(obj, "__module__", "") or ""
    if name is None or not (module.startswith("dispatch") or module.startswith("mstorch.impl.torch")):
        return None
    from mstorch.impl.torch._ns import torch
    if getattr(torch, name, None) is obj:
        return f"torch.{name}"
    if getattr(torch.nn.functional, name, None) is obj:
        return f"torch.nn.functional.{name}"
    if module.startswith("mstorch.impl.torch"):   # served by the torch proxies under its torch name
        return f"{module[len('mstorch.impl.'):]}.{name}"
    return None
