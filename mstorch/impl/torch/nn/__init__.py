"""torch.nn: modules, parameters, init and functional."""
from mstorch.impl.torch.nn import functional, init
from mstorch.impl.torch.nn.modules.container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from mstorch.impl.torch.nn.modules.linear import Bilinear, Identity, LazyLinear, Linear
from mstorch.impl.torch.nn.modules.module import Module, register_module_forward_hook, \
    register_module_forward_pre_hook
from mstorch.impl.torch.nn.parameter import Buffer, Parameter, UninitializedParameter
from mstorch.impl.torch.nn.modules.rnn import GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase
