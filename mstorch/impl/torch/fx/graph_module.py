"""torch.fx.graph_module: GraphModule, a Module whose forward is generated from a Graph."""
import itertools
import linecache

from mstorch.impl.torch.fx.graph import Graph

__all__ = ["GraphModule"]

_next_id = itertools.count()


def _exec_with_source(src, globals_):
    """exec() the generated code under a fake file name registered in linecache, so tracebacks
    and inspect.getsource show it (PyTorch names it `<eval_with_key>.N`)."""
    key = f"<eval_with_key>.{next(_next_id)}"
    linecache.cache[key] = (len(src), None, src.splitlines(True), key)
    exec(compile(src, key, "exec"), globals_)


def _forward_from_src(src, globals_):
    globals_copy = dict(globals_)
    _exec_with_source(src, globals_copy)
    forward = globals_copy["forward"]
    del globals_copy["forward"]
    return forward


def _copy_attr(from_module, to_module, target):
    from mstorch.impl.torch._ns import torch
    *prefix, field = target.split(".")
    for item in prefix:
        f = getattr(from_module, item)
        t = getattr(to_module, item, None)
        if f is t:
            return  # already installed (a parent module was copied whole)
        if t is None:
            t = torch.nn.Module()
            setattr(to_module, item, t)
        from_module, to_module = f, t
    orig = getattr(from_module, field)
    # A tensor that is not a Parameter becomes a buffer, so state_dict and .to() see it.
    if isinstance(orig, torch.Tensor) and not isinstance(orig, torch.nn.Parameter):
        to_module.register_buffer(field, orig)
    else:
        setattr(to_module, field, orig)


def _assign_attr(from_obj, to_module, target):
    from mstorch.impl.torch._ns import torch
    *prefix, field = target.split(".")
    for item in prefix:
        t = getattr(to_module, item, None)
        if t is None:
            t = torch.nn.Module()
            setattr(to_module, item, t)
        to_module = t
    if isinstance(from_obj, torch.Tensor) and not isinstance(from_obj, torch.nn.Parameter):
        to_module.register_buffer(field, from_obj)
    else:
        setattr(to_module, field, from_obj)


def _graph_module_type():
    from mstorch.impl.torch._ns import torch

    class GraphModule(torch.nn.Module):
        """A Module built from `root`'s attributes that `graph` uses, running `graph` as forward.

        Each instance gets a class of its own (as in PyTorch) so that `recompile()` can set
        its generated `forward` without touching other GraphModules."""

        def __new__(cls, *args, **kwargs):
            for t in cls.__mro__:
                if t.__qualname__.split(".")[-1] != "GraphModuleImpl":
                    cls = t
                    break

            class GraphModuleImpl(cls):
                pass
            return super().__new__(GraphModuleImpl)

        def __init__(self, root, graph, class_name="GraphModule"):
            super().__init__()
            self.__class__.__name__ = class_name
            if isinstance(root, torch.nn.Module):
                if hasattr(root, "training"):
                    self.training = root.training
                for node in graph.nodes:
                    if node.op in ("get_attr", "call_module"):
                        _copy_attr(root, self, node.target)
            elif isinstance(root, dict):
                for node in graph.nodes:
                    if node.op in ("get_attr", "call_module"):
                        if node.target not in root:
                            raise RuntimeError(f"Node {node} referenced target {node.target} but that target was "
                                               "not provided in ``root``!")
                        _assign_attr(root[node.target], self, node.target)
            else:
                raise RuntimeError("Unsupported type " + str(root) + " passed for root!")
            self.graph = graph
            self._tracer_cls = getattr(graph, "_tracer_cls", None)
            self.meta = {}

        @property
        def graph(self):
            return self._graph

        @graph.setter
        def graph(self, g):
            if not isinstance(g, Graph):
                raise AssertionError(f"Expected a Graph instance, but got {type(g)}")
            self._graph = g
            g.owning_module = self
            self.recompile()

        @property
        def code(self):
            if not hasattr(self, "_code"):
                raise RuntimeError("Code has not been generated! Please report a bug to PyTorch")
            return self._code

        def recompile(self):
            """Generate `forward` from the graph again (call it after editing the graph)."""
            python_code = self._graph.python_code(root_module="self")
            self._code = python_code.src
            type(self).forward = _forward_from_src(self._code, python_code.globals)
            return python_code

        def print_readable(self, print_output=True, include_stride=False, include_device=False, colored=False):
            if include_stride or include_device or colored:
                raise NotImplementedError("mstorch: GraphModule.print_readable(include_stride/include_device/"
                                          "colored) is not supported")
            body = self._code.lstrip("\n")
            src = f"class {self._get_name()}(torch.nn.Module):\n" + \
                "\n".join("    " + line if line else line for line in body.split("\n"))
            if print_output:
                print(src)
            return src

        def add_submodule(self, target, m):
            *prefix, field = target.split(".")
            mod = self
            for item in prefix:
                sub = getattr(mod, item, None)
                if sub is None:
                    sub = torch.nn.Module()
                    setattr(mod, item, sub)
                if not isinstance(sub, torch.nn.Module):
                    return False
                mod = sub
            mod.add_module(field, m)
            return True

        def delete_submodule(self, target):
            *path, name = target.split(".")
            mod = self
            for item in path:
                if not hasattr(mod, item):
                    return False
                mod = getattr(mod, item)
                if not isinstance(mod, torch.nn.Module):
                    return False
            if not hasattr(mod, name) or not isinstance(getattr(mod, name), torch.nn.Module):
                return False
            delattr(mod, name)
            return True

        def delete_all_unused_submodules(self):
            used = []
            for node in self.graph.nodes:
                if node.op in ("call_module", "get_attr"):
                    fullpath = node.target.split(".")
                    used.extend(".".join(fullpath[:i]) for i in range(1, len(fullpath) + 1))
            used = set(used)
            for name, _ in list(self.named_modules()):
                if name and name not in used:
                    self.delete_submodule(name)

        def __deepcopy__(self, memo):
            # A fresh class of its own (see __new__) with the copied state, forward regenerated.
            import copy
            res = type(self).__new__(type(self))
            memo[id(self)] = res
            res.__dict__.update(copy.deepcopy(self.__dict__, memo))
            type(res).__name__ = type(self).__name__
            res._graph.owning_module = res
            res.recompile()
            return res

        def __copy__(self):
            res = type(self).__new__(type(self))
            res.__dict__.update(self.__dict__)
            type(res).__name__ = type(self).__name__
            res.recompile()
            return res

        def __str__(self):
            return "\n".join([super().__str__(), self._code,
                              "# To see more debug info, please use `graph_module.print_readable()`"])

        def _get_name(self):
            return type(self).__name__

    GraphModule.__module__ = "torch.fx.graph_module"
    return GraphModule


def __getattr__(name):
    if name == "GraphModule":
        # A Module subclass, built when first asked for (torch.nn loads lazily).
        globals()["GraphModule"] = cls = _graph_module_type()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
