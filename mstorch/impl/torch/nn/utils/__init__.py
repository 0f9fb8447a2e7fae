"""torch.nn.utils."""
from mstorch.impl.torch.nn.utils import rnn  # noqa: F401
from mstorch.impl.torch.nn.utils.clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm  # noqa: F401,E501
from mstorch.impl.torch.nn.utils.convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from mstorch.impl.torch.nn.utils.weight_norm import remove_weight_norm, weight_norm  # noqa: F401
from mstorch.impl.torch.nn.utils.spectral_norm import remove_spectral_norm, spectral_norm  # noqa: F401
from mstorch.impl.torch.nn.utils import parametrize, parametrizations  # noqa: F401
