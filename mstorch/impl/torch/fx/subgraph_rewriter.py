"""torch.fx.subgraph_rewriter: replace every non-overlapping match of a pattern subgraph.

Matching follows PyTorch's SubgraphMatcher: the nodes the pattern returns are the anchors;
from a candidate anchor the match walks up the arguments, a pattern placeholder matching any
value (the same one each time), other nodes matching on op and target with equal literals;
a match is kept when no inner node is used outside it and it overlaps no earlier match.
"""
import itertools
from typing import Dict, List, NamedTuple

from mstorch.impl.torch.fx.node import Node

__all__ = ["Match", "replace_pattern", "replace_pattern_with_filters"]


class Match(NamedTuple):
    anchor: Node
    nodes_map: Dict[Node, Node]


class _Matcher:
    def __init__(self, pattern):
        nodes = list(pattern.nodes)
        self.placeholders = [n for n in nodes if n.op == "placeholder"]
        output = next(n for n in nodes if n.op == "output")
        ret = output.args[0]
        self.returning = [r for r in (ret if isinstance(ret, (list, tuple)) else [ret]) if isinstance(r, Node)]
        self.inner = [n for n in nodes if n.op not in ("placeholder", "output")]

    @staticmethod
    def _equal(pn, gn):
        if pn.op == "placeholder":
            return True
        if pn.op != gn.op:
            return False
        if pn.op == "get_attr":
            raise NotImplementedError("mstorch: torch.fx.replace_pattern with get_attr nodes in the pattern is not "
                                      "supported")
        return pn.target == gn.target

    def _match(self, pn, gn, nodes_map):
        if pn in nodes_map:
            return nodes_map[pn] is gn
        if isinstance(gn, Node) and any(v is gn for v in nodes_map.values()):
            return False
        if not isinstance(gn, Node):
            if pn.op != "placeholder":
                return False
            nodes_map[pn] = gn   # a placeholder also stands for a literal argument
            return True
        if not self._equal(pn, gn):
            return False
        nodes_map[pn] = gn
        if pn.op == "placeholder":
            return True
        if list(pn.kwargs) != list(gn.kwargs):
            del nodes_map[pn]
            return False
        saved = dict(nodes_map)
        if not self._match_args(list(pn.args) + list(pn.kwargs.values()),
                                list(gn.args) + list(gn.kwargs.values()), nodes_map):
            nodes_map.clear()
            nodes_map.update(saved)
            del nodes_map[pn]
            return False
        return True

    def _match_args(self, pa, ga, nodes_map):
        if len(pa) != len(ga):
            return False
        for a, b in zip(pa, ga):
            if isinstance(a, Node):
                ok = self._match(a, b, nodes_map)
            elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
                ok = self._match_args(list(a), list(b), nodes_map)
            else:
                ok = not isinstance(b, Node) and type(a) is type(b) and a == b
            if not ok:
                return False
        return True

    def matches(self, graph):
        candidates = [[gn for gn in graph.nodes if self._equal(pn, gn) and gn.op != "output"]
                      for pn in self.returning]
        found, used = [], set()
        for combo in itertools.product(*candidates):
            nodes_map = {}
            if not all(self._match(pn, gn, nodes_map) for pn, gn in zip(self.returning, combo)):
                continue
            if not all(pn in nodes_map for pn in self.inner) or not self._contained(nodes_map):
                continue
            inner = {id(nodes_map[pn]) for pn in self.inner}
            if inner & used:
                continue   # overlaps an earlier match
            used |= inner
            found.append(nodes_map)
        return found

    def _contained(self, nodes_map):
        inside = {id(nodes_map[pn]) for pn in self.inner}
        for pn in self.inner:
            if pn in self.returning:
                continue
            if any(id(u) not in inside for u in nodes_map[pn].users):
                return False
        return True


def _graph_of(f):
    from mstorch.impl.torch.fx._symbolic_trace import symbolic_trace
    from mstorch.impl.torch.fx.graph import Graph
    if isinstance(f, Graph):
        return f
    graph = getattr(f, "graph", None)
    return graph if isinstance(graph, Graph) else symbolic_trace(f).graph


def replace_pattern(gm, pattern, replacement):
    """Replace each non-overlapping match of `pattern` in `gm.graph` by `replacement` (callables
    or GraphModules, traced with symbolic_trace); recompiles `gm`; returns the matches."""
    return _replace(gm, pattern, replacement)


def replace_pattern_with_filters(gm, pattern, replacement, match_filters=None, ignore_literals=False,
                                 replacement_callback=None, node_name_match=""):
    if match_filters or ignore_literals or replacement_callback is not None or node_name_match:
        raise NotImplementedError("mstorch: torch.fx.subgraph_rewriter.replace_pattern_with_filters(match_filters/"
                                  "ignore_literals/replacement_callback/node_name_match) is not supported")
    return _replace(gm, pattern, replacement)


def _replace(gm, pattern, replacement):
    from mstorch.impl.torch._ns import torch
    graph = gm.graph
    matcher = _Matcher(_graph_of(pattern))
    rgraph = _graph_of(replacement)
    if any(n.op in ("get_attr", "call_module") for n in rgraph.nodes) and not isinstance(replacement, torch.nn.Module):
        raise NotImplementedError("mstorch: torch.fx.replace_pattern with a replacement that reads attributes is "
                                  "not supported")
    r_placeholders = [n for n in rgraph.nodes if n.op == "placeholder"]
    changed, results = {}, []
    for nodes_map in matcher.matches(graph):
        if len(matcher.placeholders) != len(r_placeholders):
            raise AssertionError("pattern and replacement take different numbers of inputs")
        val_map = {}
        for rn, pn in zip(r_placeholders, matcher.placeholders):
            gn = nodes_map.get(pn)
            val_map[rn] = changed.get(gn, gn) if isinstance(gn, Node) else gn
        returning = [nodes_map[pn] for pn in matcher.returning]
        users = set()
        for n in returning:
            users.update(n.users)
        first_user = next((n for n in graph.nodes if n in users), None)
        with graph.inserting_before(first_user):
            out = None
            for rn in rgraph.nodes:
                if rn.op == "placeholder":
                    continue
                if rn.op == "output":
                    out = rn.args[0]
                    break
                val_map[rn] = graph.node_copy(rn, lambda n: val_map[n])
        from mstorch.impl.torch.fx.node import map_arg
        copied = map_arg(out, lambda n: val_map[n])
        copied = list(copied) if isinstance(copied, (list, tuple)) else [copied]
        for gn, new in zip(returning, copied):
            gn.replace_all_uses_with(new)
            changed[gn] = new
        for pn in reversed(matcher.inner):
            graph.erase_node(nodes_map[pn])
        results.append(Match(anchor=matcher.returning[0], nodes_map=dict(nodes_map)))
    gm.recompile()
    return results
