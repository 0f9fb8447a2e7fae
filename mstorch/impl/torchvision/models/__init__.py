"""torchvision.models: classification architectures with torchvision's state_dict layout and init."""
from ._api import Weights, WeightsEnum, get_model, get_model_builder, get_model_weights, get_weight, list_models
from .alexnet import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .efficientnet import *  # noqa: F401,F403
from .mobilenetv2 import *  # noqa: F401,F403
from .mobilenetv3 import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
from .vision_transformer import *  # noqa: F401,F403
from .mobilenetv2 import MobileNetV2 as _MNV2
from .mobilenetv3 import MobileNetV3 as _MNV3

# torchvision.models.mobilenet re-exports both versions.
MobileNetV2, MobileNetV3 = _MNV2, _MNV3
