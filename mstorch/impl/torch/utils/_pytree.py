"""torch.utils._pytree: nested containers flattened to a list of leaves and a TreeSpec, and back.

Containers are the registered node types (tuple, list, dict, namedtuple, OrderedDict,
defaultdict, deque, and whatever `register_pytree_node` adds); everything else, None
included, is a leaf, as in torch 2.13. Libraries register their own output classes
(transformers' ModelOutput) and map functions over nested tensors with these.
"""
import collections
import dataclasses
import functools
import warnings
from typing import Any, NamedTuple

__all__ = ["PyTree", "Context", "TreeSpec", "LeafSpec", "keystr", "key_get", "register_pytree_node",
           "tree_is_leaf", "tree_flatten", "tree_flatten_with_path", "tree_unflatten", "tree_iter", "tree_leaves",
           "tree_leaves_with_path", "tree_structure", "tree_map", "tree_map_with_path", "tree_map_", "tree_map_only",
           "tree_map_only_", "tree_all", "tree_any", "tree_all_only", "tree_any_only", "is_namedtuple",
           "is_namedtuple_class", "is_namedtuple_instance", "is_structseq", "is_structseq_class",
           "is_structseq_instance"]

PyTree = Any
Context = Any


# -- key paths -------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"

    def get(self, sequence):
        return sequence[self.idx]


@dataclasses.dataclass(frozen=True)
class MappingKey:
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"

    def get(self, mapping):
        return mapping[self.key]


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self):
        return f".{self.name}"

    def get(self, obj):
        return getattr(obj, self.name)


def keystr(kp):
    return "".join(str(k) for k in kp)


def key_get(obj, kp):
    for k in kp:
        obj = k.get(obj)
    return obj


# -- node registry ---------------------------------------------------------------------

class NodeDef(NamedTuple):
    type: Any
    flatten_fn: Any
    unflatten_fn: Any
    flatten_with_keys_fn: Any


SUPPORTED_NODES = {}
_SERIALIZED_NAMES = {}


def _register(cls, flatten_fn, unflatten_fn, flatten_with_keys_fn, serialized_type_name):
    if cls in SUPPORTED_NODES:
        raise ValueError(f"{cls} is already registered as pytree node.")
    SUPPORTED_NODES[cls] = NodeDef(cls, flatten_fn, unflatten_fn, flatten_with_keys_fn)
    if serialized_type_name is not None:
        _SERIALIZED_NAMES[cls] = serialized_type_name


def register_pytree_node(cls, flatten_fn, unflatten_fn, *, serialized_type_name=None, to_dumpable_context=None,
                         from_dumpable_context=None, flatten_with_keys_fn=None):
    if (to_dumpable_context is None) != (from_dumpable_context is None):
        raise ValueError(f"Both to_dumpable_context and from_dumpable_context for {cls} must be None or "
                         "registered.")
    _register(cls, flatten_fn, unflatten_fn, flatten_with_keys_fn, serialized_type_name)


def _register_pytree_node(cls, flatten_fn, unflatten_fn, to_str_fn=None, maybe_from_str_fn=None, *,
                          serialized_type_name=None, to_dumpable_context=None, from_dumpable_context=None,
                          flatten_with_keys_fn=None):
    warnings.warn("`torch.utils._pytree._register_pytree_node` is deprecated. Please use "
                  "`torch.utils._pytree.register_pytree_node` instead.", FutureWarning, stacklevel=2)
    if to_str_fn is not None or maybe_from_str_fn is not None:
        warnings.warn("`to_str_fn` and `maybe_from_str_fn` is deprecated. Please use `to_dumpable_context` and "
                      "`from_dumpable_context` instead.", FutureWarning, stacklevel=2)
    register_pytree_node(cls, flatten_fn, unflatten_fn, serialized_type_name=serialized_type_name,
                         to_dumpable_context=to_dumpable_context, from_dumpable_context=from_dumpable_context,
                         flatten_with_keys_fn=flatten_with_keys_fn)


def _sequence_with_keys(flatten):
    def with_keys(node):
        children, context = flatten(node)
        return [(SequenceKey(i), c) for i, c in enumerate(children)], context
    return with_keys


def _dict_flatten(d):
    return list(d.values()), list(d.keys())


def _dict_with_keys(d):
    values, keys = _dict_flatten(d)
    return [(MappingKey(k), v) for k, v in zip(keys, values)], keys


def _namedtuple_flatten(t):
    return list(t), type(t)


def _namedtuple_with_keys(t):
    return [(GetAttrKey(f), v) for f, v in zip(t._fields, t)], type(t)


def _defaultdict_flatten(d):
    values, keys = _dict_flatten(d)
    return values, [d.default_factory, keys]


def _defaultdict_with_keys(d):
    pairs, keys = _dict_with_keys(d)
    return pairs, [d.default_factory, keys]


def _deque_flatten(d):
    return list(d), d.maxlen


def _builtin_nodes():
    def plain(cls):
        def flatten(node):
            return list(node), None
        return flatten

    _register(tuple, plain(tuple), lambda values, ctx: tuple(values), _sequence_with_keys(plain(tuple)),
              "builtins.tuple")
    _register(list, plain(list), lambda values, ctx: list(values), _sequence_with_keys(plain(list)),
              "builtins.list")
    _register(dict, _dict_flatten, lambda values, keys: dict(zip(keys, values)), _dict_with_keys, "builtins.dict")
    # Every namedtuple class shares one entry, keyed by the factory function, as in PyTorch.
    _register(collections.namedtuple, _namedtuple_flatten, lambda values, cls: cls(*values), _namedtuple_with_keys,
              "collections.namedtuple")
    _register(collections.OrderedDict, _dict_flatten,
              lambda values, keys: collections.OrderedDict(zip(keys, values)), _dict_with_keys,
              "collections.OrderedDict")
    _register(collections.defaultdict, _defaultdict_flatten,
              lambda values, ctx: collections.defaultdict(ctx[0], zip(ctx[1], values)), _defaultdict_with_keys,
              "collections.defaultdict")
    _register(collections.deque, _deque_flatten, lambda values, maxlen: collections.deque(values, maxlen=maxlen),
              _sequence_with_keys(_deque_flatten), "collections.deque")


_builtin_nodes()

# PyTorch's names for the built-in nodes' key-path flatteners: libraries pass them as
# `flatten_with_keys_fn` when registering their own dict-like classes (transformers'
# ModelOutput uses _dict_flatten_with_keys).
_dict_flatten_with_keys = _ordereddict_flatten_with_keys = _dict_with_keys
_defaultdict_flatten_with_keys = _defaultdict_with_keys
_namedtuple_flatten_with_keys = _namedtuple_with_keys
_deque_flatten_with_keys = _sequence_with_keys(_deque_flatten)
_list_flatten_with_keys = SUPPORTED_NODES[list].flatten_with_keys_fn
_tuple_flatten_with_keys = SUPPORTED_NODES[tuple].flatten_with_keys_fn


def is_namedtuple_class(cls):
    return isinstance(cls, type) and issubclass(cls, tuple) and isinstance(getattr(cls, "_fields", None), tuple) \
        and all(isinstance(f, str) for f in cls._fields)


def is_namedtuple_instance(obj):
    return is_namedtuple_class(type(obj))


def is_namedtuple(obj):
    return is_namedtuple_class(obj if isinstance(obj, type) else type(obj))


def is_structseq_class(cls):
    # CPython's PyStructSequence types (os.stat_result, torch.return_types in PyTorch).
    return isinstance(cls, type) and cls.__bases__ == (tuple,) and isinstance(getattr(cls, "n_fields", None), int) \
        and isinstance(getattr(cls, "n_sequence_fields", None), int)


def is_structseq_instance(obj):
    return is_structseq_class(type(obj))


def is_structseq(obj):
    return is_structseq_class(obj if isinstance(obj, type) else type(obj))


def _get_node_type(tree):
    if is_namedtuple_instance(tree):
        return collections.namedtuple
    return type(tree)


def tree_is_leaf(tree, is_leaf=None):
    if is_leaf is not None and is_leaf(tree):
        return True
    return _get_node_type(tree) not in SUPPORTED_NODES


_MAPPINGS = (dict, collections.OrderedDict, collections.defaultdict)


# -- TreeSpec --------------------------------------------------------------------------

class TreeSpec:
    """The structure of a pytree: the node's type and context, and one spec per child."""

    def __init__(self, type, context, children_specs):
        self.type, self.context, self.children_specs = type, context, list(children_specs)
        self.num_nodes = 1 + sum(c.num_nodes for c in self.children_specs)
        self.num_leaves = sum(c.num_leaves for c in self.children_specs)
        self.num_children = len(self.children_specs)

    @property
    def _context(self):
        return self.context

    @property
    def _children(self):
        return self.children_specs

    def is_leaf(self):
        return self.num_nodes == 1 and self.num_leaves == 1

    def children(self):
        return list(self.children_specs)

    def child(self, index):
        return self.children_specs[index]

    def __eq__(self, other):
        if not isinstance(other, TreeSpec):
            return NotImplemented
        return (self.type, self.context, self.children_specs) == (other.type, other.context, other.children_specs)

    __hash__ = None  # contexts are lists and dicts: a spec is compared, never hashed

    def __repr__(self, indent=0):
        name = "namedtuple" if self.type is collections.namedtuple else self.type.__name__
        inner = indent + 2
        children = (",\n" + " " * inner).join(c.__repr__(inner) for c in self.children_specs)
        return f"TreeSpec({name}, {self.context}, [{children}])"

    def _node(self):
        return SUPPORTED_NODES[self.type]

    def flatten_up_to(self, tree):
        """The subtrees of `tree` that sit where this spec has leaves (tree must match above them)."""
        out = []
        self._flatten_up_to(tree, out)
        return out

    def _flatten_up_to(self, tree, out):
        if self.is_leaf():
            out.append(tree)
            return
        node_type = _get_node_type(tree)
        if self.type in _MAPPINGS and node_type in _MAPPINGS:
            children = self._mapping_children(tree)
        else:
            if node_type is not self.type:
                raise ValueError(f"Node type mismatch; expected {self.type!r}, but got {node_type!r}.")
            children, context = SUPPORTED_NODES[node_type].flatten_fn(tree)
            if len(children) != self.num_children:
                raise ValueError(f"Node arity mismatch; expected {self.num_children}, but got {len(children)}.")
            if context != self.context:
                raise ValueError(f"Node context mismatch for custom node type {self.type!r}.")
        for child, spec in zip(children, self.children_specs):
            spec._flatten_up_to(child, out)

    def _mapping_children(self, mapping):
        # Mappings match by keys, in any order and across dict/OrderedDict/defaultdict.
        keys = self.context[1] if self.type is collections.defaultdict else self.context
        if set(keys) != set(mapping):
            raise ValueError(f"Node keys mismatch; missing key(s): {set(keys) - set(mapping)}; extra key(s): "
                             f"{set(mapping) - set(keys)}.")
        return [mapping[k] for k in keys]

    def unflatten(self, leaves):
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec refers "
                             f"to a pytree that holds {self.num_leaves} items ({self}).")
        return self._build(iter(leaves))

    def _build(self, leaves):
        if self.is_leaf():
            return next(leaves)
        return self._node().unflatten_fn([c._build(leaves) for c in self.children_specs], self.context)


class LeafSpec(TreeSpec):
    def __init__(self):
        super().__init__(None, None, [])
        self.num_nodes = self.num_leaves = 1

    def __hash__(self):
        return hash(LeafSpec)

    def __repr__(self, indent=0):
        return "*"


_LEAF = LeafSpec()


# -- flatten / unflatten ---------------------------------------------------------------

def _flatten(tree, is_leaf, leaves):
    if tree_is_leaf(tree, is_leaf):
        leaves.append(tree)
        return _LEAF
    node = SUPPORTED_NODES[_get_node_type(tree)]
    children, context = node.flatten_fn(tree)
    return TreeSpec(node.type, context, [_flatten(c, is_leaf, leaves) for c in children])


def tree_flatten(tree, is_leaf=None):
    leaves = []
    spec = _flatten(tree, is_leaf, leaves)
    return leaves, spec


def tree_unflatten(leaves, treespec):
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"tree_unflatten(leaves, treespec): Expected `treespec` to be instance of TreeSpec but "
                        f"got item of type {type(treespec)}.")
    return treespec.unflatten(leaves)


def tree_iter(tree, is_leaf=None):
    if tree_is_leaf(tree, is_leaf):
        yield tree
        return
    children, _ = SUPPORTED_NODES[_get_node_type(tree)].flatten_fn(tree)
    for child in children:
        yield from tree_iter(child, is_leaf)


def tree_leaves(tree, is_leaf=None):
    return list(tree_iter(tree, is_leaf))


def tree_structure(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[1]


def tree_map(func, tree, *rests, is_leaf=None):
    leaves, spec = tree_flatten(tree, is_leaf)
    columns = [leaves] + [spec.flatten_up_to(r) for r in rests]
    return spec.unflatten(map(func, *columns))


def tree_map_(func, tree, *rests, is_leaf=None):
    leaves, spec = tree_flatten(tree, is_leaf)
    columns = [leaves] + [spec.flatten_up_to(r) for r in rests]
    collections.deque(map(func, *columns), maxlen=0)
    return tree


def _type_predicate(type_or_types_or_pred):
    if isinstance(type_or_types_or_pred, (type, tuple)) or type(type_or_types_or_pred).__name__ == "UnionType":
        return lambda x: isinstance(x, type_or_types_or_pred)
    if callable(type_or_types_or_pred):
        return type_or_types_or_pred
    raise TypeError("Argument must be a type, a tuple of types, or a callable.")


def _only(type_or_types_or_pred, func):
    pred = _type_predicate(type_or_types_or_pred)

    @functools.wraps(func)
    def apply(x):
        return func(x) if pred(x) else x
    return apply


def tree_map_only(type_or_types_or_pred, /, func, tree, is_leaf=None):
    return tree_map(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types_or_pred, /, func, tree, is_leaf=None):
    return tree_map_(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_all(pred, tree, is_leaf=None):
    return all(map(pred, tree_iter(tree, is_leaf)))


def tree_any(pred, tree, is_leaf=None):
    return any(map(pred, tree_iter(tree, is_leaf)))


def tree_all_only(type_or_types, /, pred, tree, is_leaf=None):
    is_type = _type_predicate(type_or_types)
    return all(pred(x) for x in tree_iter(tree, is_leaf) if is_type(x))


def tree_any_only(type_or_types, /, pred, tree, is_leaf=None):
    is_type = _type_predicate(type_or_types)
    return any(pred(x) for x in tree_iter(tree, is_leaf) if is_type(x))


# -- key paths over trees --------------------------------------------------------------

def _leaves_with_path(tree, is_leaf, path, out):
    if tree_is_leaf(tree, is_leaf):
        out.append((path, tree))
        return
    node = SUPPORTED_NODES[_get_node_type(tree)]
    if node.flatten_with_keys_fn is None:
        raise ValueError(f"Did not find a flatten_with_keys_fn for type: {node.type}. Please pass a "
                         "flatten_with_keys_fn argument to register_pytree_node.")
    pairs, _ = node.flatten_with_keys_fn(tree)
    for key, child in pairs:
        _leaves_with_path(child, is_leaf, path + (key,), out)


def tree_leaves_with_path(tree, is_leaf=None):
    out = []
    _leaves_with_path(tree, is_leaf, (), out)
    return out


def tree_flatten_with_path(tree, is_leaf=None):
    return tree_leaves_with_path(tree, is_leaf), tree_structure(tree, is_leaf)


def tree_map_with_path(func, tree, *rests, is_leaf=None):
    pairs, spec = tree_flatten_with_path(tree, is_leaf)
    columns = [spec.flatten_up_to(r) for r in rests]
    return spec.unflatten(func(path, leaf, *others) for (path, leaf), *others in zip(pairs, *columns))
