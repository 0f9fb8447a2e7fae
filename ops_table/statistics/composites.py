"""torch.cov and torch.corrcoef, composed of table ops (autograd records them)."""
import warnings

_LEGACY_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
                 "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                 "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def _legacy(dtype):
    return _LEGACY_NAMES.get(dtype.name, dtype.name)


def _check_weights(T, w, name, n_obs, integral):
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
                           f"{w.dim()} dimensions")
    if integral and (w.dtype.is_floating_point or w.dtype.is_complex):
        raise RuntimeError(f"cov(): expected {name} to have integral dtype but got {name} with "
                           f"{_legacy(w.dtype)} dtype")
    if not integral and not w.dtype.is_floating_point:
        raise RuntimeError(f"cov(): expected {name} to have floating point dtype but got {name} with "
                           f"{_legacy(w.dtype)} dtype")
    if w.numel() != n_obs:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the "
                           f"input but got {w.numel()} != {n_obs}")
    if w.numel() and bool((w < 0).any()):
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(T, input, correction=1, fweights=None, aweights=None):
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.dim()} dimensions")
    if isinstance(correction, bool) or not isinstance(correction, int):
        raise TypeError(f"cov(): argument 'correction' must be int, not {type(correction).__name__}")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(T.get_default_dtype())
    n_obs = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights(T, fweights, "fweights", n_obs, integral=True)
        w = fweights
    if aweights is not None:
        _check_weights(T, aweights, "aweights", n_obs, integral=False)
        w = aweights if w is None else w * aweights
    if w is None:
        avg = x.mean(1)
        w_sum = None
        norm = float(n_obs - correction)
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        if correction == 0:
            norm = w_sum
        elif aweights is None:
            norm = w_sum - correction
        else:
            norm = w_sum - correction * (w * aweights).sum() / w_sum
    if (norm if isinstance(norm, float) else norm.item()) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", UserWarning, stacklevel=3)
        norm = 0.0 if isinstance(norm, float) else T.zeros_like(norm)
    centred = x - avg.unsqueeze(1)
    weighted = centred if w is None else centred * w
    c = T.mm(centred, weighted.t().conj())
    c = c / norm
    return c.squeeze() if c.shape[0] == 1 else c


def corrcoef(T, input):
    if input.is_complex():
        raise NotImplementedError("mstorch: corrcoef of complex tensors is not supported yet")
    c = cov(T, input)
    if c.dim() == 0:
        return c / c
    stddev = T.sqrt(T.diagonal(c))
    c = c / stddev.unsqueeze(1)
    c = c / stddev.unsqueeze(0)
    # rounding can leave values just outside [-1, 1]
    return T.clamp(c, -1, 1)
