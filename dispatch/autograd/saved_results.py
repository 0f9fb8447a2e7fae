"""Which outputs of a multi-output op its backward formulas read through `results[k]`.

PyTorch saves only the outputs a derivative uses: nll_loss_forward's backward reads
total_weight (output 1), never the loss (output 0), so `loss *= scale` after the forward
is legal there (transformers' Trainer does it every step).  Saving every output would
turn that in-place write into a "modified by an inplace operation" error at backward."""
import ast

_kept = {}


def results_read(op_name, backward):
    """Indices k of the outputs the formulas read as `results[k]` (a constant k), or None
    when some use of `results` is not such a subscript (then every output is kept)."""
    if op_name not in _kept:
        _kept[op_name] = _analyse(backward)
    return _kept[op_name]


def _analyse(backward):
    indices = set()
    for expr in backward.values():
        tree = ast.parse(expr, mode="eval")
        subscripted = set()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "results"
                    and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
                indices.add(node.slice.value)
                subscripted.add(id(node.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "results" and id(node) not in subscripted:
                return None
            if isinstance(node, ast.Lambda) and "results" in {a.arg for a in node.args.args}:
                return None
    return frozenset(indices)
