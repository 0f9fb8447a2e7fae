"""torchvision.datasets: the datasets mstorch reads in their real on-disk formats."""
from mstorch.impl.torchvision.datasets.cifar import CIFAR10, CIFAR100
from mstorch.impl.torchvision.datasets.fakedata import FakeData
from mstorch.impl.torchvision.datasets.folder import DatasetFolder, ImageFolder
from mstorch.impl.torchvision.datasets.mnist import EMNIST, KMNIST, MNIST, FashionMNIST
from mstorch.impl.torchvision.datasets.svhn import SVHN
from mstorch.impl.torchvision.datasets.vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "DatasetFolder", "EMNIST", "FakeData", "FashionMNIST", "ImageFolder", "KMNIST",
           "MNIST", "SVHN", "VisionDataset"]
