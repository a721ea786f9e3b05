"""minidl: a mini deep-learning framework built from tensor operations only (EE559 Project 2).

From torch it imports only `torch.empty`; it never uses autograd or `torch.nn`, and it
runs with `torch.set_grad_enabled(False)`.
"""

from .activations import LeakyReLU, ReLU, Sigmoid, Tanh
from .data import disk_dataset, minibatches, one_hot
from .dropout import Dropout
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .linear import Linear
from .losses import Loss, LossCrossEntropy, LossMSE
from .module import Module, one_pass
from .optim import SGD, Adam, Optimizer
from .sequential import Sequential
from .train import error_rate, fit, predict

__all__ = [
    "Module",
    "one_pass",
    "Sequential",
    "Linear",
    "ReLU",
    "Tanh",
    "Sigmoid",
    "LeakyReLU",
    "Dropout",
    "Loss",
    "LossMSE",
    "LossCrossEntropy",
    "Optimizer",
    "SGD",
    "Adam",
    "gradcheck",
    "GradcheckError",
    "GradcheckReport",
    "disk_dataset",
    "one_hot",
    "minibatches",
    "fit",
    "predict",
    "error_rate",
]
