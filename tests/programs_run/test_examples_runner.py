"""tools/run_examples.py's data makers write files the real loaders read (no checkout, no training)."""
import json
import os
import subprocess
import sys
import tarfile

import numpy as np
import pytest
import torch

import mstorch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools")
sys.path.insert(0, TOOLS)

import examples_data as data  # noqa: E402
import examples_specs  # noqa: E402
import run_examples  # noqa: E402
from time_limit import time_limit

T = mstorch.torch
TV = mstorch.torchvision


@pytest.fixture(autouse=True)
def _time_limit():
    with time_limit(60):
        yield


def test_mnist_idx_files_read_by_torchvision_mnist(tmp_path):
    data.make_mnist(str(tmp_path), n_train=20, n_test=10)
    train = TV.datasets.MNIST(str(tmp_path), train=True, download=True)
    test = TV.datasets.MNIST(str(tmp_path), train=False)
    assert len(train) == 20 and len(test) == 10
    img, label = train[3]
    assert img.size == (28, 28) and 0 <= label < 10
    # Each class lights its own block: the pixels say which class it is.
    r, c = divmod(label, 4)
    arr = np.asarray(img)
    assert arr[3 + 7 * r:10 + 7 * r, 1 + 7 * c:8 + 7 * c].min() >= 190


def test_image_folder_read_by_imagefolder(tmp_path):
    data.make_image_folder(str(tmp_path), classes=("x", "y"), per_class=2, size=(20, 30))
    ds = TV.datasets.ImageFolder(str(tmp_path))
    assert len(ds) == 4 and ds.classes == ["x", "y"]
    img, y = ds[3]
    assert img.size == (30, 20) and y == 1


def test_bsds300_tree_is_what_super_resolution_checks(tmp_path):
    images = data.make_bsds300(str(tmp_path / "dataset"), n_train=2, n_test=1)
    # super_resolution/data.py downloads unless join(dest, "BSDS300/images") exists.
    assert os.path.isdir(os.path.join(str(tmp_path / "dataset"), "BSDS300/images"))
    from PIL import Image
    img = Image.open(os.path.join(images, "train", "1000.jpg")).convert("YCbCr")
    assert min(img.size) >= 256 and len(os.listdir(os.path.join(images, "test"))) == 1


def test_wikitext_tokenizes_like_word_language_model(tmp_path):
    folder = data.make_wikitext(str(tmp_path / "wikitext-2"), lines=(30, 5, 5))
    for name in ("train", "valid", "test"):
        with open(os.path.join(folder, f"{name}.txt"), encoding="utf8") as f:
            words = [w for line in f for w in line.split() + ["<eos>"]]
        assert "<unk>" in words and len(words) > 20


def _cora_like_the_examples(folder):
    # What gat/gcn's load_cora does with the files, up to the adjacency matrix.
    content = np.genfromtxt(os.path.join(folder, "cora.content"), dtype=np.dtype(str))
    cites = np.genfromtxt(os.path.join(folder, "cora.cites"), dtype=np.int32)
    feats = content[:, 1:-1].astype(np.int32)
    classes, labels = np.unique(content[:, -1], return_inverse=True)
    idx_map = {i: p for p, i in enumerate(content[:, 0].astype(np.int32))}
    edges = np.array([[idx_map[a], idx_map[b]] for a, b in cites], dtype=np.int32)
    return feats, classes, labels, edges


def test_cora_files_parse_like_gat_and_gcn(tmp_path):
    data.make_cora(str(tmp_path / "cora"), n_nodes=1650, n_features=20, n_cites=300)
    feats, classes, labels, edges = _cora_like_the_examples(str(tmp_path / "cora"))
    # Both split off 1200-1600 nodes for test and validation before training.
    assert feats.shape == (1650, 20) and len(classes) == 7 and labels.shape == (1650,)
    assert edges.ndim == 2 and edges.shape[1] == 2 and edges.max() < 1650
    # The examples' next line, under real torch (mstorch has no sparse layout yet).
    adj = torch.sparse_coo_tensor(edges.T, torch.ones(len(edges)), (1650, 1650), dtype=torch.int64)
    assert (torch.eye(1650) + adj).shape == (1650, 1650)


def test_cora_tgz_extracts_to_the_folder_gcn_reads(tmp_path):
    path = data.make_cora_tgz(str(tmp_path / "cora.tgz"), n_nodes=50, n_features=5, n_cites=40)
    with open(path, "rb") as raw, tarfile.open(fileobj=raw, mode="r:gz") as tar:
        tar.extractall(str(tmp_path / "out"))
    feats, _, labels, _ = _cora_like_the_examples(str(tmp_path / "out" / "cora"))
    assert feats.shape == (50, 5) and labels.shape == (50,)


def test_offline_requests_serves_only_listed_urls(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"payload")
    code = ("import requests, sys\n"
            "with requests.get('http://x/f', stream=True) as r: sys.stdout.write(r.raw.read().decode())\n"
            "try:\n    requests.get('http://y/g')\nexcept requests.ConnectionError as e: print(' refused')\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(TOOLS, "offline_site"),
               MSTORCH_EXAMPLES_URLS=json.dumps({"http://x/f": str(target)}))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
    assert out.stdout == "payload refused\n", out.stderr


def test_metric_extraction_skips_times_and_reads_losses():
    text = ("| epoch   1 |    20/   52 batches | lr 20.00 | ms/batch 613.85 | loss  4.46 | ppl    86.55\n"
            "Epoch: 0001 (8.8864s) loss_train: 1.9450 acc_train: 0.1900\n"
            "Epoch: [0][ 1/9]\tTime  9.298 ( 9.298)\tLoss 6.5503e+00 (6.5503e+00)\tAcc@1   0.00 (  0.00)\n"
            "Test set: Average loss: 2.2894, Accuracy: 12/128 (9%)\n")
    assert run_examples.metrics(text) == [
        ("loss", "4.46"), ("ppl", "86.55"), ("loss_train", "1.9450"), ("acc_train", "0.1900"),
        ("loss", "6.5503e+00"), ("acc@1", "0.00"), ("loss", "2.2894"), ("accuracy", "12")]


def test_compare_and_first_error():
    ex = examples_specs.Example("x", "x", [])
    res = lambda ms, ok=True: dict(ok=ok, metrics=ms, files={}, error="")  # noqa: E731
    assert run_examples.compare(ex, res([("loss", "1.5")]), res([("loss", "1.5")])).startswith("same")
    assert run_examples.compare(ex, res([("loss", "1.5")]), res([("loss", "1.7")])).startswith("differ")
    assert run_examples.compare(ex, res([("loss", "1.5")]), res([], ok=False)) == "-"
    tb = ('Traceback (most recent call last):\n  File "a.py", line 3, in <module>\n    f()\n'
          'ValueError: bad thing\n')
    assert run_examples.first_error(tb) == 'ValueError: bad thing  [File "a.py", line 3, in <module>]'


def test_every_spec_names_a_runnable_step():
    names = [e.name for e in examples_specs.EXAMPLES]
    assert len(names) == len(set(names))
    for e in examples_specs.EXAMPLES:
        # A step runs a script, or a module with its arguments (`-m torch.distributed.run ...`).
        assert e.steps and all(s.script.endswith(".py") or (s.script == "-m" and s.args) for s in e.steps)
    with pytest.raises(SystemExit, match="unknown example"):
        examples_specs.by_name("nope")
    assert [e.name for e in examples_specs.by_name("gat,mnist")] == ["mnist", "gat"]


def test_real_torch_reads_the_small_sine_waves(tmp_path):
    # The replacement traindata.pt is what train.py torch.load()s.
    examples_specs._small_sine_waves(str(tmp_path), str(tmp_path))
    arr = torch.load(str(tmp_path / "traindata.pt"), weights_only=False)
    assert arr.shape == (6, 100) and arr.dtype == np.float64
