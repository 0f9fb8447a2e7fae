"""Small synthetic data sets in the on-disk formats the pytorch/examples loaders read.

Each maker writes under the folder it is given and returns the path it made. Nothing here
imports torch: the files are written with NumPy and PIL only, so the same data feeds the
real-torch run and the mstorch run.
"""
import io
import os
import struct
import tarfile

import numpy as np
from PIL import Image


def write_idx(path, arr):
    """One IDX file (the MNIST format): big-endian magic, dims, then the raw array."""
    codes = {np.dtype(np.uint8): 8, np.dtype(np.int32): 12}
    head = struct.pack(">I", (codes[arr.dtype] << 8) | arr.ndim)
    head += b"".join(struct.pack(">I", d) for d in arr.shape)
    with open(path, "wb") as f:
        f.write(head + arr.astype(arr.dtype.newbyteorder(">")).tobytes())


def _digit_like(rng, labels):
    # Each class lights its own 7x7 block, with noise, so that a model can learn something
    # in a few batches and the printed losses move the way a real run's would.
    imgs = rng.randint(0, 60, (len(labels), 28, 28)).astype(np.int32)
    for i, y in enumerate(labels):
        r, c = divmod(int(y), 4)
        imgs[i, 3 + 7 * r:10 + 7 * r, 1 + 7 * c:8 + 7 * c] += 190
    return np.clip(imgs, 0, 255).astype(np.uint8)


def make_mnist(root, n_train=256, n_test=128, seed=0):
    """`<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`, as torchvision's
    MNIST looks for them (uncompressed files there mean it never downloads)."""
    rng = np.random.RandomState(seed)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.randint(0, 10, n).astype(np.uint8)
        write_idx(os.path.join(raw, f"{prefix}-images-idx3-ubyte"), _digit_like(rng, labels))
        write_idx(os.path.join(raw, f"{prefix}-labels-idx1-ubyte"), labels)
    return raw


def write_image(path, size, rng):
    """An RGB JPEG (or PNG, by extension) with smooth structure plus noise."""
    h, w = size
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([np.sin(xx / (7 + 3 * k)) + np.cos(yy / (5 + 2 * k)) for k in range(3)], -1)
    arr = (base + 2) * 50 + rng.randint(0, 50, (h, w, 3))
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB").save(path)
    return path


def make_image_folder(root, classes=("a", "b"), per_class=3, size=(64, 64), seed=0, ext="jpg"):
    """ImageFolder layout: `<root>/<class>/<i>.<ext>`."""
    rng = np.random.RandomState(seed)
    for c in classes:
        os.makedirs(os.path.join(root, c), exist_ok=True)
        for i in range(per_class):
            write_image(os.path.join(root, c, f"{i}.{ext}"), size, rng)
    return root


def make_bsds300(dest, n_train=4, n_test=2, size=(300, 300), seed=0):
    """The extracted BSDS300 tree `<dest>/BSDS300/images/{train,test}/*.jpg`. Its existence is
    what super_resolution's data.py checks before downloading. Images are at least 256 px:
    the example centre-crops 256 - 256 % upscale_factor."""
    rng = np.random.RandomState(seed)
    images = os.path.join(dest, "BSDS300", "images")
    for split, n in (("train", n_train), ("test", n_test)):
        os.makedirs(os.path.join(images, split), exist_ok=True)
        for i in range(n):
            write_image(os.path.join(images, split, f"{1000 + i}.jpg"), size, rng)
    return images


_WORDS = ("the of and to in a is that for it as was with be by on not he this are or his "
          "from at which but have an they you were her she there one all we can has been "
          "more when will would who so no if out up what about into than them time").split()


def make_wikitext(folder, lines=(120, 30, 30), seed=0):
    """`<folder>/{train,valid,test}.txt` in wikitext-2's token format: space-separated words,
    one paragraph a line, the corpus's own ` = Heading = ` and `<unk>` tokens included."""
    rng = np.random.RandomState(seed)
    os.makedirs(folder, exist_ok=True)
    for name, n in zip(("train", "valid", "test"), lines):
        with open(os.path.join(folder, f"{name}.txt"), "w", encoding="utf8") as f:
            for i in range(n):
                if i % 20 == 0:
                    f.write(" = Heading {} = \n".format(i // 20))
                words = [_WORDS[j] for j in rng.randint(0, len(_WORDS), rng.randint(5, 25))]
                words[rng.randint(len(words))] = "<unk>"
                f.write(" " + " ".join(words) + " . \n")
    return folder


def cora_rows(n_nodes=1700, n_features=60, n_classes=7, n_cites=4000, seed=0):
    """Cora's two tables as text: `cora.content` lines are `<paper id> <0/1 features...>
    <class label>`, `cora.cites` lines are `<cited id> <citing id>` (tab separated)."""
    rng = np.random.RandomState(seed)
    ids = rng.choice(np.arange(1, 10 * n_nodes), n_nodes, replace=False)
    labels = rng.randint(0, n_classes, n_nodes)
    feats = (rng.rand(n_nodes, n_features) < 0.08).astype(int)
    feats[np.arange(n_nodes), labels % n_features] = 1  # a class-tied word per paper: learnable
    names = [f"Class_{k}" for k in range(n_classes)]
    content = "".join(
        "\t".join([str(ids[i])] + [str(v) for v in feats[i]] + [names[labels[i]]]) + "\n"
        for i in range(n_nodes))
    src = rng.randint(0, n_nodes, n_cites)
    dst = rng.randint(0, n_nodes, n_cites)
    keep = src != dst
    cites = "".join(f"{ids[a]}\t{ids[b]}\n" for a, b in zip(src[keep], dst[keep]))
    return content, cites


def make_cora(folder, **kw):
    """`<folder>/cora.content` and `<folder>/cora.cites` (where gat's loader looks first)."""
    content, cites = cora_rows(**kw)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "cora.content"), "w") as f:
        f.write(content)
    with open(os.path.join(folder, "cora.cites"), "w") as f:
        f.write(cites)
    return folder


def make_cora_tgz(path, **kw):
    """`cora.tgz` as LINQS publishes it: a gzipped tar holding `cora/cora.content`,
    `cora/cora.cites` (gcn always fetches and extracts it)."""
    content, cites = cora_rows(**kw)
    with tarfile.open(path, "w:gz") as tar:
        for name, text in (("cora/cora.content", content), ("cora/cora.cites", cites)):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path
