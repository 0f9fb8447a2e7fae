"""torchvision's multi-weight API: `Weights`, `WeightsEnum`, the model registry
(`get_model`, `list_models`, `get_model_weights`, `get_weight`) and the legacy
`pretrained=` keyword.

Checkpoints are fetched through `torch.hub.load_state_dict_from_url`, so a file already
in the hub cache (`$TORCH_HOME/hub/checkpoints/<file name of the URL>`, the place real
torchvision stores them) loads without network; otherwise hub's download runs, and
without network its error says where to put the file.
"""
import enum
import fnmatch
import functools
import inspect
import sys
import warnings
from dataclasses import dataclass, field

from mstorch.impl.torch import hub

BUILTIN_MODELS = {}


@dataclass(eq=False)
class Weights:
    url: str
    transforms: object = None
    meta: dict = field(default_factory=dict)

    def __eq__(self, other):
        if not isinstance(other, Weights):
            return NotImplemented
        return self.url == other.url and self.meta == other.meta

    __hash__ = object.__hash__


class WeightsEnum(enum.Enum):
    @classmethod
    def verify(cls, obj):
        if obj is None:
            return None
        if isinstance(obj, str):
            obj = cls[obj.replace(cls.__name__ + ".", "")]
        elif not isinstance(obj, cls):
            raise TypeError(f"Invalid Weight class provided; expected {cls.__name__} but received "
                            f"{obj.__class__.__name__}.")
        return obj

    def get_state_dict(self, *args, **kwargs):
        return hub.load_state_dict_from_url(self.url, *args, **kwargs)

    def __repr__(self):
        return f"{self.__class__.__name__}.{self._name_}"

    @property
    def url(self):
        return self.value.url

    @property
    def transforms(self):
        if self.value.transforms is None:
            raise NotImplementedError("mstorch: the preset transforms attached to torchvision weights "
                                      f"({self!r}.transforms) are not served")
        return self.value.transforms

    @property
    def meta(self):
        return self.value.meta


def register_model(name=None):
    def wrapper(fn):
        key = name if name is not None else fn.__name__
        if key in BUILTIN_MODELS:
            raise ValueError(f"An entry is already registered under the name '{key}'.")
        BUILTIN_MODELS[key] = fn
        return fn
    return wrapper


def list_models(module=None, include=None, exclude=None):
    names = [k for k, v in BUILTIN_MODELS.items()
             if module is None or v.__module__.rsplit(".", 1)[0] == getattr(module, "__name__", module)]
    if include:
        include = [include] if isinstance(include, str) else include
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in include)]
    if exclude:
        exclude = [exclude] if isinstance(exclude, str) else exclude
        names = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in exclude)]
    return sorted(names)


def get_model_builder(name):
    name = name.lower()
    try:
        return BUILTIN_MODELS[name]
    except KeyError:
        raise ValueError(f"Unknown model {name}") from None


def get_model(name, **config):
    return get_model_builder(name)(**config)


def get_model_weights(name):
    fn = get_model_builder(name) if isinstance(name, str) else name
    ann = inspect.signature(fn).parameters["weights"].annotation
    if isinstance(ann, type) and issubclass(ann, WeightsEnum):
        return ann
    raise ValueError(f"The weight class for the specific method couldn't be retrieved. Make sure the typing info "
                     f"is correct for {fn}.")


def get_weight(name):
    try:
        enum_name, value_name = name.split(".")
    except ValueError:
        raise ValueError(f"Invalid weight name provided: '{name}'.") from None
    from mstorch.impl.torchvision import models
    for mod_name in list(sys.modules):
        if mod_name.startswith(models.__name__):
            cls = getattr(sys.modules[mod_name], enum_name, None)
            if isinstance(cls, type) and issubclass(cls, WeightsEnum):
                return cls[value_name]
    raise ValueError(f"The weight enum '{enum_name}' for the specific method couldn't be retrieved.")


def handle_legacy_interface(weights_enum):
    """`pretrained=True/False` (deprecated in torchvision 0.13) mapped onto `weights=`."""
    def outer(builder):
        @functools.wraps(builder)
        def inner(*args, **kwargs):
            if "pretrained" in kwargs:
                pretrained = kwargs.pop("pretrained")
                if "weights" in kwargs:
                    raise ValueError("The parameter 'pretrained' and 'weights' cannot be used together.")
                default = weights_enum.DEFAULT if pretrained else None
                msg = (f"The parameter 'pretrained' is deprecated since 0.13 and may be removed in the future, "
                       f"please use 'weights' instead.")
                warnings.warn(msg, UserWarning, stacklevel=2)
                if pretrained:
                    warnings.warn(f"Arguments other than a weight enum or `None` for 'weights' are deprecated since "
                                  f"0.13 and may be removed in the future. The current behavior is equivalent to "
                                  f"passing `weights={default!r}`. You can also use `weights={default!r}` to get "
                                  f"the most up-to-date weights.", UserWarning, stacklevel=2)
                kwargs["weights"] = default
            return builder(*args, **kwargs)
        return inner
    return outer


def _ovewrite_named_param(kwargs, param, new_value):
    if param in kwargs:
        if kwargs[param] != new_value:
            raise ValueError(f"The parameter '{param}' expected value {new_value} but got {kwargs[param]} instead.")
    else:
        kwargs[param] = new_value


def load_weights(model, weights, progress):
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v
