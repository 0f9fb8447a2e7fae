"""torch.nn: modules, parameters, init and functional."""
from mstorch.impl.torch.nn import functional, init
from mstorch.impl.torch.nn.modules.container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from mstorch.impl.torch.nn.modules.linear import Bilinear, Identity, LazyLinear, Linear
from mstorch.impl.torch.nn.modules.module import Module, register_module_forward_hook, \
    register_module_forward_pre_hook
from mstorch.impl.torch.nn.parameter import Buffer, Parameter, UninitializedParameter
from mstorch.impl.torch.nn.modules.rnn import GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase
from mstorch.impl.torch.nn.modules.activation import CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU, ReLU, ReLU6, RReLU, Sigmoid, SiLU, Softmax, Softmax2d, Softmin, Softplus, Softshrink, Softsign, Tanh, Tanhshrink, Threshold  # noqa: E501
from mstorch.impl.torch.nn.modules.conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d  # noqa: E501
from mstorch.impl.torch.nn.modules.pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, LPPool1d, LPPool2d, MaxPool1d, MaxPool2d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d  # noqa: E501
from mstorch.impl.torch.nn.modules.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d, SyncBatchNorm
from mstorch.impl.torch.nn.modules.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from mstorch.impl.torch.nn.modules.normalization import GroupNorm, LayerNorm, LocalResponseNorm, RMSNorm
from mstorch.impl.torch.nn.modules.dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout  # noqa: E501
from mstorch.impl.torch.nn.modules.sparse import Embedding, EmbeddingBag
from mstorch.impl.torch.nn.modules.loss import BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, CTCLoss, GaussianNLLLoss, HingeEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss, MarginRankingLoss, MSELoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss, NLLLoss, NLLLoss2d, PoissonNLLLoss, SmoothL1Loss, SoftMarginLoss, TripletMarginLoss, TripletMarginWithDistanceLoss  # noqa: E501
from mstorch.impl.torch.nn.modules.flatten import Flatten, Unflatten
from mstorch.impl.torch.nn.modules.padding import CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d  # noqa: E501
from mstorch.impl.torch.nn.modules.pixelshuffle import PixelShuffle, PixelUnshuffle
from mstorch.impl.torch.nn.modules.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from mstorch.impl.torch.nn.modules.distance import CosineSimilarity, PairwiseDistance
from mstorch.impl.torch.nn.modules.channelshuffle import ChannelShuffle
from mstorch.impl.torch.nn.modules.fold import Fold, Unfold
from mstorch.impl.torch.nn.modules.activation_attention import MultiheadAttention
from mstorch.impl.torch.nn.modules.transformer import Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer  # noqa: E501
from mstorch.impl.torch.nn.parallel import DataParallel  # noqa: E402,F401
