"""minidl: a mini deep-learning framework built from tensor operations only (EE559 Project 2).

From torch it imports only `torch.empty`; it never uses autograd or `torch.nn`, and it
runs with `torch.set_grad_enabled(False)`.
"""

from .activations import LeakyReLU, ReLU, Sigmoid, Tanh
from .conv import Conv2d
from .data import disk_dataset, minibatches, one_hot
from .dropout import Dropout
from .flatten import Flatten
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .linear import Linear
from .losses import Loss, LossCrossEntropy, LossMSE, LossSum
from .module import Module, one_pass
from .optim import SGD, Adam, Optimizer
from .pairs import comparison_head, digit_encoder, siamese_network
from .pooling import MaxPool2d
from .sequential import Sequential
from .siamese import Siamese
from .softmax import Softmax
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
    "Conv2d",
    "MaxPool2d",
    "Flatten",
    "Softmax",
    "Siamese",
    "siamese_network",
    "digit_encoder",
    "comparison_head",
    "Loss",
    "LossMSE",
    "LossCrossEntropy",
    "LossSum",
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
