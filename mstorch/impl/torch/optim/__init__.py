"""torch.optim: optimizers and learning-rate schedulers."""
from mstorch.impl.torch.optim import lr_scheduler
from mstorch.impl.torch.optim.adadelta import Adadelta
from mstorch.impl.torch.optim.adagrad import Adagrad
from mstorch.impl.torch.optim.adam import Adam
from mstorch.impl.torch.optim.adamax import Adamax
from mstorch.impl.torch.optim.adamw import AdamW
from mstorch.impl.torch.optim.lbfgs import LBFGS
from mstorch.impl.torch.optim.nadam import NAdam
from mstorch.impl.torch.optim.optimizer import Optimizer
from mstorch.impl.torch.optim.radam import RAdam
from mstorch.impl.torch.optim.rmsprop import RMSprop
from mstorch.impl.torch.optim.sgd import SGD
