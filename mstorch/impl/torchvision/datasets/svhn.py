"""SVHN from the cropped-digits .mat files (root/train_32x32.mat ...), read with scipy.io as torchvision does.
The MD5 check is torchvision's (see cifar.py for how non-release files are treated)."""
import os

import numpy as np
from PIL import Image

from mstorch.impl.torchvision.datasets.utils import _no_download, check_integrity, verify_str_arg
from mstorch.impl.torchvision.datasets.vision import VisionDataset


class SVHN(VisionDataset):
    split_list = {
        "train": ["http://ufldl.stanford.edu/housenumbers/train_32x32.mat", "train_32x32.mat",
                  "e26dedcc434d2e4c54c9b2d4a06d8373"],
        "test": ["http://ufldl.stanford.edu/housenumbers/test_32x32.mat", "test_32x32.mat",
                 "eb5a983be6a315427106f1b164d9cef3"],
        "extra": ["http://ufldl.stanford.edu/housenumbers/extra_32x32.mat", "extra_32x32.mat",
                  "a93ce644f1a588dc4d68dda5feec44a7"],
    }

    def __init__(self, root, split="train", transform=None, target_transform=None, download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.split = verify_str_arg(split, "split", tuple(self.split_list.keys()))
        self.url, self.filename, self.file_md5 = self.split_list[split]
        if download:
            self.download()
        if not self._check_integrity():
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to download it")
        import scipy.io as sio
        loaded = sio.loadmat(os.path.join(self.root, self.filename))
        self.data = loaded["X"]
        # Labels are 1..10 with 10 standing for the digit 0.
        self.labels = loaded["y"].astype(np.int64).squeeze()
        np.place(self.labels, self.labels == 10, 0)
        self.data = np.transpose(self.data, (3, 2, 0, 1))

    def __getitem__(self, index):
        img, target = self.data[index], int(self.labels[index])
        img = Image.fromarray(np.transpose(img, (1, 2, 0)))
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self):
        return len(self.data)

    def _check_integrity(self):
        return check_integrity(os.path.join(self.root, self.filename), self.file_md5)

    def download(self):
        if self._check_integrity():
            return
        raise _no_download([self.url], self.root)

    def extra_repr(self):
        return "Split: {split}".format(**self.__dict__)
