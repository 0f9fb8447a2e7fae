"""torch.func.functional_call: call a module with some parameters/buffers replaced for that call.

The replacement tensors are put into the module's own slots (`_parameters`, `_buffers`,
or a plain attribute) for the duration of the call and the originals put back after it,
even when the call raises, so autograd flows into the tensors given, not the module's.
"""
_ABSENT = object()


def _merge(dicts):
    if isinstance(dicts, dict):
        return dict(dicts)
    merged = {}
    for d in dicts:
        repeated = sorted(merged.keys() & d.keys())
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is "
                             "ambiguous")
        merged.update(d)
    return merged


def _tied_names(module):
    """{name: every name of the same tensor} for tensors reachable under several names."""
    by_tensor = {}
    for name, t in list(module.named_parameters(remove_duplicate=False)) + \
            list(module.named_buffers(remove_duplicate=False)):
        by_tensor.setdefault(id(t), []).append(name)
    return {n: names for names in by_tensor.values() if len(names) > 1 for n in names}


def _with_tied(module, tensors):
    tied = _tied_names(module)
    out = dict(tensors)
    for name, value in tensors.items():
        for other in tied.get(name, ()):
            if other in tensors and tensors[other] is not value:
                raise ValueError(f"functional_call got multiple values for keys ['{name}', '{other}'], which are "
                                 "tied. Consider using tie_weights=False")
            out.setdefault(other, value)
    return out


def _check_strict(module, tensors):
    expected = {n for n, _ in module.named_parameters(remove_duplicate=False)}
    expected |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
    missing, unexpected = sorted(expected - tensors.keys()), sorted(tensors.keys() - expected)
    problems = []
    if unexpected:
        problems.append("Unexpected key(s): {}.".format(", ".join(map(repr, unexpected))))
    if missing:
        problems.append("Missing key(s): {}.".format(", ".join(map(repr, missing))))
    if problems:
        raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(
            type(module).__name__, "\n\t".join(problems)))


def _swap(module, name, value):
    """Put `value` where `module.<name>` lives; return what was there (or _ABSENT)."""
    owner_path, _, attr = name.rpartition(".")
    owner = module.get_submodule(owner_path) if owner_path else module
    for store in (owner._parameters, owner._buffers):
        if attr in store:
            old, store[attr] = store[attr], value
            return owner, attr, store, old
    old = owner.__dict__.get(attr, _ABSENT)
    if value is _ABSENT:
        owner.__dict__.pop(attr, None)
    else:
        owner.__dict__[attr] = value
    return owner, attr, None, old


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False):
    tensors = _merge(parameter_and_buffer_dicts)
    if tie_weights:
        tensors = _with_tied(module, tensors)
    if strict:
        _check_strict(module, tensors)
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    saved = []
    try:
        for name, value in tensors.items():
            saved.append(_swap(module, name, value))
        return module(*args, **kwargs)
    finally:
        for owner, attr, store, old in reversed(saved):
            if store is not None:
                store[attr] = old
            elif old is _ABSENT:
                owner.__dict__.pop(attr, None)
            else:
                owner.__dict__[attr] = old
