"""torch.fx.subgraph_rewriter: pattern replacement is not implemented in mstorch."""

__all__ = ["replace_pattern", "replace_pattern_with_filters"]


def replace_pattern(gm, pattern, replacement):
    raise NotImplementedError("mstorch: torch.fx.replace_pattern (subgraph_rewriter.replace_pattern) is not "
                              "supported; edit the graph's nodes directly and call gm.recompile()")


def replace_pattern_with_filters(gm, pattern, replacement, match_filters=None, ignore_literals=False,
                                 replacement_callback=None, node_name_match=""):
    raise NotImplementedError("mstorch: torch.fx.subgraph_rewriter.replace_pattern_with_filters is not supported")
