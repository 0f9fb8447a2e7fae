"""torch.fx's symbolic tracer: run a module's forward on Proxies and record what it does.

While tracing, `nn.Module.__call__` and `nn.Module.__getattr__` are patched (submodule calls
become call_module nodes when `is_leaf_module` says so; parameters and buffers read through
attributes become get_attr nodes), and functions registered with `wrap` are patched in the
globals of the module that registered them.
"""
import builtins
import functools
import inspect
import math

from mstorch.impl.torch.fx.graph import Graph
from mstorch.impl.torch.fx.node import map_aggregate
from mstorch.impl.torch.fx.proxy import ParameterProxy, Proxy, TracerBase

__all__ = ["Tracer", "symbolic_trace", "wrap", "is_fx_tracing", "PH", "ProxyableClassMeta"]

_is_fx_tracing_flag = [False]
_wrapped_fns_to_patch = {}   # (id(globals), name) -> globals
_wrapped_methods_to_patch = []


def is_fx_tracing():
    return _is_fx_tracing_flag[0]


class _PH:
    def __repr__(self):
        return "PH"


PH = _PH()


class ProxyableClassMeta(type):
    """Metaclass of classes whose construction is recorded while tracing (not supported here)."""

    def __call__(cls, *args, **kwargs):
        if is_fx_tracing() and any(isinstance(a, Proxy) for a in list(args) + list(kwargs.values())):
            raise NotImplementedError("mstorch: torch.fx.ProxyableClassMeta construction from traced values is "
                                      "not supported")
        return super().__call__(*args, **kwargs)


def wrap(fn_or_name):
    """Register a module-level function (or its name) as a leaf: called with a Proxy while
    tracing, it is recorded as one call_function node instead of being traced through."""
    if not callable(fn_or_name) and not isinstance(fn_or_name, str):
        raise RuntimeError("Unsupported type for global function! Must be either a callable or string name")
    fn_name = fn_or_name.__name__ if callable(fn_or_name) else fn_or_name
    frame = inspect.currentframe().f_back
    if frame.f_code.co_name != "<module>":
        raise NotImplementedError("wrap must be called at the top level of a module")
    f_globals = frame.f_globals
    _wrapped_fns_to_patch[(id(f_globals), fn_name)] = f_globals
    return fn_or_name


def _nn():
    from mstorch.impl.torch._ns import torch
    return torch.nn


class _Patcher:
    """Sets attributes for the duration of a trace and puts the originals back."""

    def __init__(self):
        self._undo = []
        self._visited = set()

    def patch(self, obj, name, new, is_dict=False):
        if is_dict:
            had = name in obj
            old = obj.get(name)
            obj[name] = new
            self._undo.append(lambda: obj.__setitem__(name, old) if had else obj.pop(name, None))
        else:
            old = obj.__dict__.get(name, _MISSING) if isinstance(obj, type) else getattr(obj, name, _MISSING)
            setattr(obj, name, new)
            self._undo.append(lambda: delattr(obj, name) if old is _MISSING else setattr(obj, name, old))

    def visit_once(self, thing):
        key = id(thing)
        if key in self._visited:
            return False
        self._visited.add(key)
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        while self._undo:
            self._undo.pop()()
        return False


_MISSING = object()


def _find_proxy(*objects):
    found = []

    def look(x):
        if isinstance(x, Proxy) and not found:
            found.append(x)
    map_aggregate(objects, look)
    return found[0] if found else None


def _create_wrapped_func(orig_fn):
    @functools.wraps(orig_fn)
    def wrapped(*args, **kwargs):
        proxy = _find_proxy(args, kwargs)
        if proxy is not None:
            p = proxy.tracer.create_proxy("call_function", orig_fn, args, kwargs)
            p.node.meta["is_wrapped"] = True
            return p
        return orig_fn(*args, **kwargs)
    return wrapped


class Tracer(TracerBase):
    """Records a module's forward as a Graph. Override `is_leaf_module` to choose which
    submodules stay call_module nodes (by default those of torch.nn, except Sequential)."""

    def __init__(self, autowrap_modules=(math,), autowrap_functions=(), param_shapes_constant=False):
        super().__init__()
        self._autowrap_function_ids = {id(value) for module in autowrap_modules
                                       for name, value in module.__dict__.items()
                                       if not name.startswith("_") and callable(value)}
        self._autowrap_function_ids.update(id(f) for f in autowrap_functions)
        self._autowrap_search = list(autowrap_modules)
        self.param_shapes_constant = param_shapes_constant
        self.submodule_paths = None
        self.root = None
        self.graph = None
        self.tensor_attrs = {}
        self.proxy_buffer_attributes = True

    # ---- the rules ---------------------------------------------------------------------------
    def is_leaf_module(self, m, module_qualified_name):
        module = type(m).__module__ or ""
        in_torch_nn = module.startswith(("torch.nn", "torch.ao.nn", "mstorch.impl.torch.nn"))
        return in_torch_nn and not isinstance(m, _nn().Sequential)

    def path_of_module(self, mod):
        if self.submodule_paths:
            path = self.submodule_paths.get(mod)
            if path is None:
                raise NameError("module is not installed as a submodule")
            return path
        for n, p in self.root.named_modules():
            if mod is p:
                return n
        raise NameError("module is not installed as a submodule")

    def call_module(self, m, forward, args, kwargs):
        qualified_name = self.path_of_module(m)
        if not self.is_leaf_module(m, qualified_name):
            return forward(*args, **kwargs)
        return self.create_proxy("call_module", qualified_name, args, kwargs)

    def getattr(self, attr, attr_val, parameter_proxy_cache):
        from mstorch.impl.torch._ns import torch

        def proxy_for(collection):
            for n, p in collection:
                if attr_val is p:
                    if n not in parameter_proxy_cache:
                        if self.param_shapes_constant:
                            parameter_proxy_cache[n] = self.create_proxy(
                                "get_attr", n, (), {},
                                proxy_factory_fn=lambda node: ParameterProxy(self, node, n, attr_val))
                        else:
                            parameter_proxy_cache[n] = self.create_proxy("get_attr", n, (), {})
                    return parameter_proxy_cache[n]
            return None

        if isinstance(attr_val, torch.nn.Parameter):
            found = proxy_for(self.root.named_parameters())
            if found is not None:
                return found
        if self.proxy_buffer_attributes and isinstance(attr_val, torch.Tensor):
            found = proxy_for(self.root.named_buffers())
            if found is not None:
                return found
        return attr_val

    def create_arg(self, a):
        from mstorch.impl.torch._ns import torch
        if isinstance(a, torch.nn.Parameter):
            for n, p in self.root.named_parameters():
                if a is p:
                    return self.create_node("get_attr", n, (), {})
            raise NameError("parameter is not a member of this module")
        if isinstance(a, torch.Tensor):
            for n, p in self.root.named_buffers():
                if a is p:
                    return self.create_node("get_attr", n, (), {})
        elif isinstance(a, torch.nn.Module):
            for n, p in self.root.named_modules():
                if a is p:
                    return self.create_node("get_attr", n, (), {})
        if isinstance(a, torch.Tensor):
            qualname = self.tensor_attrs.get(a)
            if not qualname:
                i = 0
                while hasattr(self.root, f"_tensor_constant{i}"):
                    i += 1
                qualname = f"_tensor_constant{i}"
                self.tensor_attrs[a] = qualname
                setattr(self.root, qualname, a)
            return self.create_node("get_attr", qualname, (), {})
        return super().create_arg(a)

    # ---- tracing ----------------------------------------------------------------------------
    def create_args_for_root(self, root_fn, is_module, concrete_args=None):
        fn = inspect.unwrap(root_fn)
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        args, kwargs = [], {}
        if is_module:
            if not params:
                raise RuntimeError("``self`` argument cannot be part of *args expansion!")
            params = params[1:]
            args.append(self.root)
        if isinstance(concrete_args, tuple):
            if len(params) != len(concrete_args):
                raise RuntimeError(f"Tracing expected {len(params)} arguments but got {len(concrete_args)} concrete "
                                   "arguments")
            concrete_args = {p.name: v for p, v in zip(params, concrete_args)}
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise NotImplementedError(f"mstorch: torch.fx tracing a forward with *{p.name} / **{p.name} "
                                          "arguments is not supported")
            default = () if p.default is inspect.Parameter.empty else (p.default,)
            if concrete_args is not None and p.name in concrete_args:
                value = self._specialize(p.name, default, concrete_args[p.name])
            else:
                value = self.create_proxy("placeholder", p.name, default, {},
                                          type_expr=fn.__annotations__.get(p.name, None))
            if p.kind == p.KEYWORD_ONLY:
                kwargs[p.name] = value
            else:
                args.append(value)
        return (lambda *a: root_fn(*a, **kwargs)), args

    def _specialize(self, name, default, value):
        """A concrete argument: traced with its value, kept as a placeholder `name_1` whose value
        the generated code asserts (PyTorch's specialization)."""
        from mstorch.impl.torch._ns import torch
        if value is PH or isinstance(value, (list, tuple, dict)):
            raise NotImplementedError("mstorch: torch.fx.symbolic_trace(concrete_args=...) with PH or nested "
                                      "values is not supported")
        out = self.create_proxy("placeholder", f"{name}_1", default, {})
        if type(value) is bool or (type(value) in (str, int, float, complex) and not isinstance(value, torch.Tensor)):
            torch._assert(out == value, f"{name} has been specialized to have value {value} but got another value")
        elif value is None:
            self.create_proxy("call_function", _assert_is_none,
                              (out, f"{name} has been specialized to have value None but got another value"), {})
        else:
            import warnings
            warnings.warn(f"Was not able to add assertion to guarantee correct input {name} to specialized "
                          "function. It is up to the user to make sure that your inputs match the inputs you "
                          "specialized the function with.", stacklevel=3)
        return value

    def _collect_tensor_attrs(self, m, prefix):
        from mstorch.impl.torch._ns import torch
        for k, v in m.__dict__.items():
            if isinstance(v, torch.Tensor):
                self.tensor_attrs[v] = ".".join(prefix + [k])
        for k, v in m.named_children():
            self._collect_tensor_attrs(v, prefix + [k])

    def trace(self, root, concrete_args=None):
        nn = _nn()
        if isinstance(root, nn.Module):
            self.root = root
            fn = type(root).forward
            self.submodule_paths = {mod: name for name, mod in root.named_modules()}
        else:
            self.root = nn.Module()
            fn = root
        self.graph = Graph(tracer_cls=type(self))
        self.tensor_attrs = {}
        self._collect_tensor_attrs(self.root, [])
        fn_globals = getattr(inspect.unwrap(fn), "__globals__", {})
        call_fn, args = self.create_args_for_root(fn, isinstance(root, nn.Module), concrete_args)
        parameter_proxy_cache = {}
        module_getattr = nn.Module.__getattr__
        module_call = nn.Module.__call__
        tracer = self

        @functools.wraps(module_getattr)
        def module_getattr_wrapper(mod, attr):
            return tracer.getattr(attr, module_getattr(mod, attr), parameter_proxy_cache)

        @functools.wraps(module_call)
        def module_call_wrapper(mod, *args, **kwargs):
            def forward(*args, **kwargs):
                return module_call(mod, *args, **kwargs)
            tracer._autowrap_check(patcher, getattr(getattr(mod, "forward", mod), "__globals__", {}))
            return tracer.call_module(mod, forward, args, kwargs)

        old_flag = _is_fx_tracing_flag[0]
        _is_fx_tracing_flag[0] = True
        try:
            with _Patcher() as patcher:
                patcher.patch(nn.Module, "__getattr__", module_getattr_wrapper)
                patcher.patch(nn.Module, "__call__", module_call_wrapper)
                self._patch_wrapped_functions(patcher)
                self._autowrap_check(patcher, fn_globals)
                for module in self._autowrap_search:   # math.sqrt(proxy) is recorded, not run
                    self._autowrap_check(patcher, module.__dict__)
                result = call_fn(*args)
                self.create_node("output", "output", (self.create_arg(result),), {},
                                 type_expr=getattr(fn, "__annotations__", {}).get("return", None))
        finally:
            _is_fx_tracing_flag[0] = old_flag
        self.submodule_paths = None
        return self.graph

    def _patch_wrapped_functions(self, patcher):
        for (_, name), frame_dict in _wrapped_fns_to_patch.items():
            if name not in frame_dict and hasattr(builtins, name):
                orig = getattr(builtins, name)
            else:
                orig = frame_dict[name]
            patcher.patch(frame_dict, name, _create_wrapped_func(orig), is_dict=True)

    def _autowrap_check(self, patcher, frame_dict):
        if not patcher.visit_once(frame_dict):
            return
        for name, value in list(frame_dict.items()):
            if not name.startswith("_") and callable(value) and id(value) in self._autowrap_function_ids:
                patcher.patch(frame_dict, name, _create_wrapped_func(value), is_dict=True)


def _assert_is_none(value, msg):
    assert value is None, msg


def symbolic_trace(root, concrete_args=None):
    """Trace `root` (a Module or a function) into a GraphModule."""
    from mstorch.impl.torch.fx.graph_module import GraphModule
    tracer = Tracer()
    graph = tracer.trace(root, concrete_args)
    name = root.__class__.__name__ if isinstance(root, _nn().Module) else root.__name__
    return GraphModule(tracer.root, graph, name)

