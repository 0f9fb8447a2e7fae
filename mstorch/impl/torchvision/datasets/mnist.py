"""MNIST, FashionMNIST, KMNIST and EMNIST from their idx files (torchvision's layout: root/<Name>/raw/<file>,
or the legacy root/<Name>/processed/{training,test}.pt). A raw file may also be present only gzip-compressed
(<file>.gz, as distributed); it is then read directly."""
import codecs
import gzip
import os
import string

import numpy as np
from PIL import Image

from mstorch.impl.torch._ns import torch
from mstorch.impl.torchvision.datasets.utils import _no_download, check_integrity, extract_archive
from mstorch.impl.torchvision.datasets.vision import VisionDataset

# idx type codes -> big-endian NumPy dtypes (the format stores every number most significant byte first).
_IDX_TYPES = {8: ">u1", 9: ">i1", 11: ">i2", 12: ">i4", 13: ">f4", 14: ">f8"}


def _get_int(b):
    return int(codecs.encode(b, "hex"), 16)


def _open(path):
    if os.path.isfile(path):
        return open(path, "rb")
    return gzip.open(path + ".gz", "rb")


def read_sn3_pascalvincent_tensor(path, strict=True):
    with _open(path) as f:
        data = f.read()
    magic = _get_int(data[0:4])
    nd, ty = magic % 256, magic // 256
    if not (1 <= nd <= 3 and ty in _IDX_TYPES):
        raise ValueError(f"{path} is not an idx file (magic number {magic:#x})")
    shape = [_get_int(data[4 * (i + 1):4 * (i + 2)]) for i in range(nd)]
    parsed = np.frombuffer(data, dtype=_IDX_TYPES[ty], offset=4 * (nd + 1))
    if parsed.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {parsed.size} values")
    arr = parsed.astype(parsed.dtype.newbyteorder("=")).reshape(shape)
    return torch.from_numpy(np.ascontiguousarray(arr))


def read_label_file(path):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != torch.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndimension() != 1:
        raise ValueError(f"x should have 1 dimension instead of {x.ndimension()}")
    return x.long()


def read_image_file(path):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != torch.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndimension() != 3:
        raise ValueError(f"x should have 3 dimension instead of {x.ndimension()}")
    return x


class MNIST(VisionDataset):
    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    training_file = "training.pt"
    test_file = "test.pt"
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if self._check_legacy_exist():
            self.data, self.targets = self._load_legacy_data()
            return
        if download:
            self.download()
        if not self._check_exists():
            raise RuntimeError("Dataset not found. You can use download=True to download it")
        self.data, self.targets = self._load_data()

    @property
    def raw_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}

    @property
    def train_labels(self):
        return self.targets

    @property
    def test_labels(self):
        return self.targets

    @property
    def train_data(self):
        return self.data

    @property
    def test_data(self):
        return self.data

    def _check_legacy_exist(self):
        if not os.path.exists(self.processed_folder):
            return False
        return all(os.path.isfile(os.path.join(self.processed_folder, f)) for f in (self.training_file, self.test_file))

    def _load_legacy_data(self):
        data_file = self.training_file if self.train else self.test_file
        return torch.load(os.path.join(self.processed_folder, data_file))

    def _file_prefix(self):
        return "train" if self.train else "t10k"

    def _load_data(self):
        prefix = self._file_prefix()
        data = read_image_file(os.path.join(self.raw_folder, f"{prefix}-images-idx3-ubyte"))
        targets = read_label_file(os.path.join(self.raw_folder, f"{prefix}-labels-idx1-ubyte"))
        return data, targets

    def _raw_names(self):
        return [os.path.splitext(os.path.basename(url))[0] for url, _ in self.resources]

    def _check_exists(self):
        return all(os.path.isfile(p) or os.path.isfile(p + ".gz")
                   for p in (os.path.join(self.raw_folder, n) for n in self._raw_names()))

    def download(self):
        if self._check_exists():
            return
        # Archives already in raw/ with the published checksums are extracted; nothing is ever fetched.
        missing = [f for f, md5 in self.resources if not check_integrity(os.path.join(self.raw_folder, f), md5)]
        if missing:
            raise _no_download([self.mirrors[0] + f for f in missing], self.raw_folder)
        for filename, _ in self.resources:
            extract_archive(os.path.join(self.raw_folder, filename), self.raw_folder)

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        img = Image.fromarray(img.numpy(), mode="L")
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


class KMNIST(MNIST):
    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


class EMNIST(MNIST):
    url = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
    md5 = "58c8d27c78d21e728a6bc7b3cc06412e"
    splits = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
    _all_classes = set(string.digits + string.ascii_letters)
    _merged_classes = {"c", "i", "j", "k", "l", "m", "o", "p", "s", "u", "v", "w", "x", "y", "z"}
    classes_split_dict = {
        "byclass": sorted(list(_all_classes)),
        "bymerge": sorted(list(_all_classes - _merged_classes)),
        "balanced": sorted(list(_all_classes - _merged_classes)),
        "letters": ["N/A"] + list(string.ascii_lowercase),
        "digits": list(string.digits),
        "mnist": list(string.digits),
    }

    def __init__(self, root, split, **kwargs):
        from mstorch.impl.torchvision.datasets.utils import verify_str_arg
        self.split = verify_str_arg(split, "split", self.splits)
        self.training_file = self._training_file(split)
        self.test_file = self._test_file(split)
        super().__init__(root, **kwargs)
        self.classes = self.classes_split_dict[self.split]

    @staticmethod
    def _training_file(split):
        return f"training_{split}.pt"

    @staticmethod
    def _test_file(split):
        return f"test_{split}.pt"

    def _file_prefix(self):
        return f"emnist-{self.split}-{'train' if self.train else 'test'}"

    def _raw_names(self):
        return [f"{self._file_prefix()}-{kind}-idx{n}-ubyte" for kind, n in (("images", 3), ("labels", 1))]

    def download(self):
        if self._check_exists():
            return
        raise _no_download([self.url], self.raw_folder)
