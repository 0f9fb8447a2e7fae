"""torchvision.datasets and utils on synthetic files written in the real on-disk formats."""
import gzip
import hashlib
import os
import pickle
import struct

import numpy as np
import pytest
import torch
from PIL import Image

import mstorch
from time_limit import time_limit

T = mstorch.torch
TV = mstorch.torchvision
ds = TV.datasets
tr = TV.transforms


@pytest.fixture(autouse=True)
def _time_limit():
    with time_limit(60):
        yield


def write_idx(path, arr, compress=False):
    code = {np.uint8: 8, np.int32: 12}[arr.dtype.type]
    head = struct.pack(">I", (code << 8) | arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape)
    payload = head + arr.astype(arr.dtype.newbyteorder(">")).tobytes()
    opener = gzip.open if compress else open
    with opener(str(path) + (".gz" if compress else ""), "wb") as f:
        f.write(payload)


def make_mnist(root, name, prefixes=("train", "t10k"), n=7, compress=False, seed=0):
    rng = np.random.RandomState(seed)
    raw = root / name / "raw"
    raw.mkdir(parents=True)
    out = {}
    for p in prefixes:
        imgs = rng.randint(0, 256, (n, 28, 28)).astype(np.uint8)
        labels = rng.randint(0, 10, n).astype(np.uint8)
        write_idx(raw / f"{p}-images-idx3-ubyte", imgs, compress)
        write_idx(raw / f"{p}-labels-idx1-ubyte", labels, compress)
        out[p] = (imgs, labels)
    return out


@pytest.mark.parametrize("cls", ["MNIST", "FashionMNIST", "KMNIST"])
@pytest.mark.parametrize("compress", [False, True])
def test_mnist_family_reads_idx(tmp_path, cls, compress):
    data = make_mnist(tmp_path, cls, compress=compress)
    for train, key in ((True, "train"), (False, "t10k")):
        d = getattr(ds, cls)(str(tmp_path), train=train, download=True)
        imgs, labels = data[key]
        assert len(d) == 7 and d.data.dtype == T.uint8 and d.targets.dtype == T.int64
        img, target = d[3]
        assert isinstance(img, Image.Image) and img.mode == "L"
        np.testing.assert_array_equal(np.asarray(img), imgs[3])
        assert target == int(labels[3]) and isinstance(target, int)
    d = getattr(ds, cls)(str(tmp_path), transform=tr.ToTensor(), target_transform=lambda t: t + 100)
    x, y = d[0]
    assert tuple(x.shape) == (1, 28, 28) and y == int(data["train"][1][0]) + 100
    assert "Split: Train" in repr(d) and f"Dataset {cls}" in repr(d)


def test_mnist_processed_legacy_layout(tmp_path):
    proc = tmp_path / "MNIST" / "processed"
    proc.mkdir(parents=True)
    imgs = torch.randint(0, 256, (4, 28, 28), dtype=torch.uint8)
    labels = torch.tensor([1, 2, 3, 4])
    torch.save((imgs, labels), proc / "training.pt")
    torch.save((imgs[:2], labels[:2]), proc / "test.pt")
    d = ds.MNIST(str(tmp_path))
    assert len(d) == 4 and d[2][1] == 3
    np.testing.assert_array_equal(np.asarray(d[1][0]), imgs[1].numpy())
    assert len(ds.MNIST(str(tmp_path), train=False)) == 2


def test_emnist_split_files(tmp_path):
    rng = np.random.RandomState(1)
    raw = tmp_path / "EMNIST" / "raw"
    raw.mkdir(parents=True)
    imgs = rng.randint(0, 256, (5, 28, 28)).astype(np.uint8)
    write_idx(raw / "emnist-letters-train-images-idx3-ubyte", imgs)
    write_idx(raw / "emnist-letters-train-labels-idx1-ubyte", np.arange(1, 6, dtype=np.uint8))
    d = ds.EMNIST(str(tmp_path), split="letters")
    assert len(d) == 5 and d[4][1] == 5 and d.classes[:3] == ["N/A", "a", "b"]
    with pytest.raises(ValueError):
        ds.EMNIST(str(tmp_path), split="nope")


def test_missing_files_raise_without_network(tmp_path):
    with pytest.raises(RuntimeError, match="Dataset not found"):
        ds.MNIST(str(tmp_path))
    with pytest.raises(RuntimeError, match="does not download") as err:
        ds.MNIST(str(tmp_path), download=True)
    assert "train-images-idx3-ubyte.gz" in str(err.value) and str(tmp_path) in str(err.value)
    with pytest.raises(RuntimeError, match="does not download"):
        ds.CIFAR10(str(tmp_path), download=True)
    with pytest.raises(RuntimeError, match="does not download"):
        ds.SVHN(str(tmp_path), download=True)
    leftovers = [f for _, _, fs in os.walk(tmp_path) for f in fs]
    assert leftovers == []


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def make_cifar(root, hundred=False, n=6, seed=0):
    rng = np.random.RandomState(seed)
    folder = root / ("cifar-100-python" if hundred else "cifar-10-batches-py")
    folder.mkdir(parents=True)
    names = (["train"], ["test"]) if hundred else (["data_batch_1", "data_batch_2"], ["test_batch"])
    out = {}
    for name in names[0] + names[1]:
        data = rng.randint(0, 256, (n, 3072)).astype(np.uint8)
        labels = rng.randint(0, 10, n).tolist()
        entry = {"data": data, ("fine_labels" if hundred else "labels"): labels, "batch_label": name}
        with open(folder / name, "wb") as f:
            pickle.dump(entry, f)
        out[name] = (data, labels)
    meta_name, key = ("meta", "fine_label_names") if hundred else ("batches.meta", "label_names")
    with open(folder / meta_name, "wb") as f:
        pickle.dump({key: [f"class{i}" for i in range(10)]}, f)
    md5 = lambda n: [n, _md5(folder / n)]  # noqa: E731
    lists = dict(train_list=[md5(x) for x in names[0]], test_list=[md5(x) for x in names[1]],
                 meta={"filename": meta_name, "key": key, "md5": _md5(folder / meta_name)})
    return out, lists


@pytest.mark.parametrize("hundred", [False, True])
def test_cifar_pickles_and_integrity(tmp_path, hundred):
    data, lists = make_cifar(tmp_path, hundred)
    base = ds.CIFAR100 if hundred else ds.CIFAR10
    # The published checksums are those of the real release, so synthetic batches are "corrupted" to them...
    with pytest.raises(RuntimeError, match="not found or corrupted"):
        base(str(tmp_path))
    # ...and pass once the file lists carry their own checksums: the same check torchvision makes.
    Synthetic = type("Synthetic", (base,), lists)
    d = Synthetic(str(tmp_path), download=True)
    first = data["train" if hundred else "data_batch_1"]
    assert len(d) == (6 if hundred else 12) and d.classes[2] == "class2" and d.class_to_idx["class3"] == 3
    img, target = d[1]
    np.testing.assert_array_equal(np.asarray(img), first[0][1].reshape(3, 32, 32).transpose(1, 2, 0))
    assert target == first[1][1]
    assert len(Synthetic(str(tmp_path), train=False)) == 6
    # Altering a batch after the fact fails the check again.
    name = lists["train_list"][0][0]
    path = tmp_path / base.base_folder / name
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    with pytest.raises(RuntimeError, match="corrupted"):
        Synthetic(str(tmp_path))


def test_svhn_mat(tmp_path):
    sio = pytest.importorskip("scipy.io")
    rng = np.random.RandomState(2)
    X = rng.randint(0, 256, (32, 32, 3, 5)).astype(np.uint8)
    y = np.array([[10], [1], [2], [10], [9]], dtype=np.uint8)
    sio.savemat(tmp_path / "test_32x32.mat", {"X": X, "y": y})
    with pytest.raises(RuntimeError, match="corrupted"):
        ds.SVHN(str(tmp_path), split="test")
    Synthetic = type("Synthetic", (ds.SVHN,), {"split_list": {
        "test": ["", "test_32x32.mat", _md5(tmp_path / "test_32x32.mat")]}})
    d = Synthetic(str(tmp_path), split="test")
    assert len(d) == 5 and [d[i][1] for i in range(5)] == [0, 1, 2, 0, 9]
    np.testing.assert_array_equal(np.asarray(d[3][0]), X[:, :, :, 3])


def make_folder(root):
    rng = np.random.RandomState(3)
    expected = []
    for ci, cls in enumerate(["cat", "dog"]):
        (root / cls / "sub").mkdir(parents=True)
        for k, name in enumerate(["b.png", "a.png", "sub/c.png"]):
            arr = rng.randint(0, 256, (5 + k, 6, 3)).astype(np.uint8)
            Image.fromarray(arr).save(root / cls / name)
            expected.append((str(root / cls / name), ci, arr))
        (root / cls / "notes.txt").write_text("not an image")
    return expected


def test_image_folder(tmp_path):
    expected = make_folder(tmp_path)
    d = ds.ImageFolder(str(tmp_path))
    assert d.classes == ["cat", "dog"] and d.class_to_idx == {"cat": 0, "dog": 1}
    order = [os.path.join(str(tmp_path), c, n) for c in ("cat", "dog") for n in ("a.png", "b.png", "sub/c.png")]
    assert [p for p, _ in d.samples] == order and d.targets == [0, 0, 0, 1, 1, 1] and d.imgs == d.samples
    lookup = {p: arr for p, _, arr in expected}
    img, target = d[4]
    np.testing.assert_array_equal(np.asarray(img), lookup[order[4]])
    assert target == 1 and img.mode == "RGB"
    only_a = ds.ImageFolder(str(tmp_path), is_valid_file=lambda p: p.endswith("a.png"))
    assert len(only_a) == 2
    txt = ds.DatasetFolder(str(tmp_path), loader=lambda p: open(p).read(), extensions=(".txt",))
    assert len(txt) == 2 and txt[0] == ("not an image", 0)
    with pytest.raises(ValueError):
        ds.DatasetFolder(str(tmp_path), loader=open)
    with pytest.raises(FileNotFoundError):
        ds.ImageFolder(str(tmp_path / "cat" / "sub"))


def test_image_folder_through_dataloader_with_workers(tmp_path):
    make_folder(tmp_path)
    pipe = tr.Compose([tr.Resize((8, 8), interpolation=tr.InterpolationMode.BICUBIC), tr.ToTensor(),
                       tr.Normalize([0.5] * 3, [0.25] * 3)])
    d = ds.ImageFolder(str(tmp_path), transform=pipe)
    DL = T.utils.data.DataLoader
    single = [(x.numpy(), y.numpy()) for x, y in DL(d, batch_size=4)]
    multi = [(x.numpy(), y.numpy()) for x, y in DL(d, batch_size=4, num_workers=2)]
    assert len(single) == len(multi) == 2
    for (a, b), (c, e) in zip(single, multi):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, e)


def test_fakedata_uses_torch_generator():
    d = ds.FakeData(size=3, image_size=(3, 6, 5), num_classes=4, random_offset=2)
    T.manual_seed(99)
    img, target = d[1]
    assert T.rand(1).item() == (T.manual_seed(99), T.rand(1).item())[1]  # caller's stream untouched
    torch.manual_seed(3)
    ref = torch.randn(3, 6, 5)
    ref_target = torch.randint(0, 4, size=(1,), dtype=torch.long)[0].item()
    ref_img = Image.fromarray(np.transpose(ref.mul(255).byte().numpy(), (1, 2, 0)))
    assert target == ref_target
    np.testing.assert_array_equal(np.asarray(img), np.asarray(ref_img))
    with pytest.raises(IndexError):
        d[3]


def test_make_grid_and_save_image(tmp_path):
    x = np.random.RandomState(4).rand(5, 3, 4, 6).astype(np.float32)
    grid = TV.utils.make_grid(T.from_numpy(x), nrow=3, padding=1, pad_value=0.5)
    ref = np.full((3, 2 * 5 + 1, 3 * 7 + 1), 0.5, np.float32)
    for k in range(5):
        r, c = divmod(k, 3)
        ref[:, 1 + r * 5:1 + r * 5 + 4, 1 + c * 7:1 + c * 7 + 6] = x[k]
    np.testing.assert_array_equal(grid.numpy(), ref)
    norm = TV.utils.make_grid(T.from_numpy(x * 4 - 1), normalize=True, padding=0)
    assert abs(float(norm.min())) < 1e-6 and abs(float(norm.max()) - 1) < 1e-6
    gray = TV.utils.make_grid(T.from_numpy(x[:, :1]), padding=0)
    assert tuple(gray.shape) == (3, 4, 30)
    TV.utils.save_image(T.from_numpy(x), tmp_path / "g.png", nrow=3, padding=1, pad_value=0.5)
    saved = np.asarray(Image.open(tmp_path / "g.png"))
    np.testing.assert_array_equal(saved, np.clip(ref * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0))
    with pytest.raises(TypeError):
        TV.utils.make_grid("x")
