"""torch.load on damaged and hostile checkpoints, with real torch 2.13 as the oracle on the
same bytes.

Base files: a small model's state_dict with several dtypes, shared storages, views and a
Parameter, saved by real torch (zip and legacy formats) and by mstorch.  Mutants are made
deterministically from them: byte flips in data.pkl and in data records, truncation of
the file at many offsets, storage types renamed, integer fields of the pickle (sizes,
strides, offsets, element counts) replaced by edge values, storage keys edited, records
truncated, extended, dropped, duplicated, and element counts far past int64.

For every mutant mstorch must either raise a clean error (one of PyTorch's error types,
no MindSpore text) or return exactly what real torch returns for the same bytes: the same
structure, dtypes, geometry and bits.  Loading what torch refuses is a failure too.
"""
import collections
import io
import os
import pickle
import pickletools
import random
import struct
import sys
import time
import zipfile

import numpy as np
import pytest
import torch

import mstorch
from tests.long_profile import LONG, skip_unless_long
from tests.time_limit import time_limit

T = mstorch.torch

# What a damaged file may raise (PyTorch's own family for the same files); anything else,
# a hang or a crash is a bug.
CLEAN_ERRORS = (RuntimeError, pickle.UnpicklingError, EOFError, ValueError, NotImplementedError, AttributeError,
                TypeError)
STORAGE_NAMES = ("BoolStorage", "ByteStorage", "CharStorage", "ShortStorage", "IntStorage", "LongStorage",
                 "HalfStorage", "BFloat16Storage", "FloatStorage", "DoubleStorage", "ComplexFloatStorage",
                 "ComplexDoubleStorage")
EDGE_INTS = (0, 1, 2, 3, 5, -1, -2, 12, 255, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 61, 2 ** 62,
             2 ** 63 - 1, 2 ** 63, 2 ** 64 + 3, -2 ** 63)


# ------------------------------------------------------------------------------ base files

def _state(lib):
    """The same checkpoint content built with real torch or with mstorch."""
    w = lib.arange(12, dtype=lib.float64).reshape(3, 4) / 7
    flat = lib.arange(10, dtype=lib.float32) - 3.5
    return collections.OrderedDict([
        ("fc.weight", lib.tensor([[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]])),
        ("fc.bias", lib.tensor([0.125, -0.5])),
        ("bn.running_mean", lib.tensor([1.0, 2.0, 3.0])),
        ("bn.num_batches_tracked", lib.tensor(7)),
        ("half", lib.tensor([0.5, -2.0, 65504.0, 1e-3]).half()),
        ("bf16", lib.tensor([1.5, -2.25, 3.0]).bfloat16()),
        ("i8", lib.tensor([-3, 4, 127], dtype=lib.int8)),
        ("i32", lib.tensor([[1, -2], [3, 2 ** 30]], dtype=lib.int32)),
        ("mask", lib.tensor([True, False, True])),
        ("c64", lib.tensor([1 + 2j, -3.5j], dtype=lib.complex64)),
        ("w", w), ("w_t", w.t()), ("w_row", w[1]), ("w_col", w[:, 2]), ("w_again", w),
        ("flat", flat), ("window", flat[3:8]), ("strided", flat[1::3]),
        ("param", lib.nn.Parameter(lib.tensor([1.0, -1.0]))),
        ("step", 12), ("name", "fuzz"),
    ])


_BASES = {}


def bases():
    """{label: bytes} of the base checkpoints (built once)."""
    if not _BASES:
        for label, kw in (("torch-zip", {}), ("torch-legacy", {"_use_new_zipfile_serialization": False})):
            buf = io.BytesIO()
            torch.save(_state(torch), buf, **kw)
            _BASES[label] = buf.getvalue()
        buf = io.BytesIO()
        T.save(_state(T), buf)
        _BASES["mstorch-zip"] = buf.getvalue()
    return _BASES


# ------------------------------------------------------------------------------ zip surgery

def zip_records(data):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, zf.read(i)) for i in zf.infolist()]


def build_zip(records):
    """A zip archive of `records` laid out as torch.save lays them out (stored, data 64-byte aligned)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, payload in records:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            header = 30 + len(name.encode())
            pad = (-(out.tell() + header + 4)) % 64
            info.extra = struct.pack("<HH", 0x4246, pad) + b"Z" * pad
            with zf.open(info, "w") as w:
                w.write(payload)
    return out.getvalue()


def _replace_record(records, suffix, payload):
    return [(n, payload if n.endswith(suffix) else p) for n, p in records]


def _pkl(records):
    return next(p for n, p in records if n.endswith("/data.pkl"))


# ------------------------------------------------------------------------------ pickle surgery

def int_fields(pkl):
    """(start, end, value) of every integer opcode of a pickle."""
    ops = list(pickletools.genops(pkl))
    out = []
    for k, (op, arg, pos) in enumerate(ops):
        if op.name in ("BININT1", "BININT2", "BININT", "LONG1", "LONG4") and isinstance(arg, int):
            end = ops[k + 1][2] if k + 1 < len(ops) else len(pkl)
            out.append((pos, end, arg))
    return out


def encode_int(v):
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if -2 ** 31 <= v < 2 ** 31:
        return b"J" + struct.pack("<i", v)
    raw = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


def numel_fields(pkl):
    """(start, end) of the element-count field of each storage persistent id
    ('storage', <type>, key, location, numel): the integer right before the TUPLE."""
    ops = list(pickletools.genops(pkl))
    out = []
    for k in range(1, len(ops) - 2):
        op, arg, pos = ops[k]
        # Zip files end the id with the count; legacy ones add a view slot (None) after it.
        closes = ops[k + 1][0].name == "TUPLE" or (ops[k + 1][0].name == "NONE" and ops[k + 2][0].name == "TUPLE")
        if closes and op.name in ("BININT1", "BININT2", "BININT", "LONG1"):
            out.append((pos, ops[k + 1][2]))
    return out


def storage_globals(pkl):
    """(start, end, name) of each 'torch <X>Storage' GLOBAL."""
    out = []
    for op, arg, pos in pickletools.genops(pkl):
        if op.name == "GLOBAL" and arg.startswith("torch ") and arg.endswith("Storage"):
            name = arg.split(" ", 1)[1]
            out.append((pos, pos + 1 + len("torch\n") + len(name) + 1, name))
    return out


def key_strings(pkl):
    """(start, end, key) of the storage-key strings ('0', '1', ...)."""
    out = []
    for op, arg, pos in pickletools.genops(pkl):
        if op.name == "BINUNICODE" and isinstance(arg, str) and arg.isdigit():
            out.append((pos, pos + 5 + len(arg.encode()), arg))
    return out


def splice(data, start, end, new):
    return data[:start] + new + data[end:]


def legacy_segments(data):
    """(prefix, main pickle, tail) of a legacy file: the three small pickles, the main one,
    and the storage key list plus raw storages."""
    f = io.BytesIO(data)
    for _ in range(3):
        for _op in pickletools.genops(f):
            pass
    start = f.tell()
    for _op in pickletools.genops(f):
        pass
    end = f.tell()
    return data[:start], data[start:end], data[end:]


# ------------------------------------------------------------------------------ mutants

def _flip(data, rng, count, lo=0, hi=None):
    b = bytearray(data)
    hi = len(b) if hi is None else hi
    for _ in range(count):
        b[rng.randrange(lo, hi)] ^= rng.randrange(1, 256)
    return bytes(b)


def zip_mutants(data, rng, scale):
    records = zip_records(data)
    pkl = _pkl(records)

    def with_pkl(p):
        return build_zip(_replace_record(records, "/data.pkl", p))

    for i in range(6 * scale):
        yield "pkl-flip", with_pkl(_flip(pkl, rng, rng.randrange(1, 4)))
    fields = int_fields(pkl)
    for i in range(12 * scale):
        start, end, _ = rng.choice(fields)
        yield "pkl-int", with_pkl(splice(pkl, start, end, encode_int(rng.choice(EDGE_INTS))))
    for start, end in numel_fields(pkl)[:2 * scale]:
        for v in (0, 1, 2 ** 40, 2 ** 62, 2 ** 63 - 1, 2 ** 64, -1)[:3 + scale]:
            yield "numel", with_pkl(splice(pkl, start, end, encode_int(v)))
    for start, end, name in storage_globals(pkl):
        for other in rng.sample(STORAGE_NAMES, 2 * scale):
            if other != name:
                yield "storage-type", with_pkl(splice(pkl, start, end, f"ctorch\n{other}\n".encode()))
    for start, end, key in key_strings(pkl)[:3 * scale]:
        for new in ("0", "1", "9", ""):
            if new != key:
                enc = new.encode()
                yield "key", with_pkl(splice(pkl, start, end, b"X" + struct.pack("<I", len(enc)) + enc))
    data_records = [(n, p) for n, p in records if "/data/" in n]
    for name, payload in data_records[:4 * scale]:
        for cut in {0, 1, len(payload) // 2, len(payload) - 1}:
            if cut < len(payload):
                yield "record-short", build_zip(_replace_record(records, name, payload[:cut]))
        yield "record-long", build_zip(_replace_record(records, name, payload + b"\x01" * rng.choice((1, 2, 8))))
        yield "record-drop", build_zip([(n, p) for n, p in records if n != name])
        flipped = _flip(payload, rng, 2) if payload else payload
        yield "record-flip", build_zip(_replace_record(records, name, flipped))
    name, payload = data_records[0]
    yield "record-dup", build_zip(records + [(name, payload[::-1])])
    yield "record-rename", build_zip([(n.replace("/data/0", "/data/00"), p) for n, p in records])
    for cut in sorted(set(rng.randrange(1, len(data)) for _ in range(10 * scale))):
        yield "truncate", data[:cut]
    for i in range(6 * scale):
        yield "file-flip", _flip(data, rng, rng.randrange(1, 3))


def legacy_mutants(data, rng, scale):
    head, pkl, tail = legacy_segments(data)

    def with_pkl(p):
        return head + p + tail

    for i in range(6 * scale):
        yield "legacy-pkl-flip", with_pkl(_flip(pkl, rng, rng.randrange(1, 4)))
    fields = int_fields(pkl)
    for i in range(12 * scale):
        start, end, _ = rng.choice(fields)
        yield "legacy-pkl-int", with_pkl(splice(pkl, start, end, encode_int(rng.choice(EDGE_INTS))))
    for start, end in numel_fields(pkl)[:2 * scale]:
        for v in (0, 1, 2 ** 40, 2 ** 62, 2 ** 63 - 1, 2 ** 64, -1)[:3 + scale]:
            yield "legacy-numel", with_pkl(splice(pkl, start, end, encode_int(v)))
    for start, end, name in storage_globals(pkl):
        for other in rng.sample(STORAGE_NAMES, 2 * scale):
            if other != name:
                yield "legacy-storage-type", with_pkl(splice(pkl, start, end, f"ctorch\n{other}\n".encode()))
    keys = key_strings(pkl)
    for start, end, key in keys[:3 * scale]:
        other = rng.choice(keys)[2]
        for new in {other, "7"} - {key}:
            enc = new.encode()
            yield "legacy-key", with_pkl(splice(pkl, start, end, b"X" + struct.pack("<I", len(enc)) + enc))
    storages_at = len(head) + len(pkl) + len(tail) // 2
    for i in range(4 * scale):
        yield "legacy-data-flip", _flip(data, rng, 2, lo=storages_at)
    # The element-count header before each raw storage.
    f = io.BytesIO(tail)
    for _op in pickletools.genops(f):
        pass
    pos = len(head) + len(pkl) + f.tell()
    base_numels = []
    while pos + 8 <= len(data):
        (n,) = struct.unpack("<q", data[pos:pos + 8])
        base_numels.append(pos)
        item = _legacy_itemsize(data, pos, n)
        if item is None:
            break
        pos += 8 + n * item
    for hpos in base_numels[:3 * scale]:
        for v in (0, 1, 2 ** 40, 2 ** 62, -1):
            yield "legacy-header", splice(data, hpos, hpos + 8, struct.pack("<q", v))
    for cut in sorted(set(rng.randrange(1, len(data)) for _ in range(10 * scale))):
        yield "legacy-truncate", data[:cut]
    for i in range(6 * scale):
        yield "legacy-file-flip", _flip(data, rng, rng.randrange(1, 3))


def _legacy_itemsize(data, pos, n):
    # The storages of the base file are of known sizes: find the item size that makes
    # the next header (or the end of the file) line up.
    for item in (1, 2, 4, 8, 16):
        end = pos + 8 + n * item
        if end == len(data):
            return item
        if end + 8 <= len(data):
            (m,) = struct.unpack("<q", data[end:end + 8])
            if 0 < m < 10 ** 6:
                return item
    return None


def mutants(scale=1, seed=0):
    rng = random.Random(seed)
    for label, data in bases().items():
        gen = legacy_mutants if label.endswith("legacy") else zip_mutants
        for kind, mutant in gen(data, rng, scale):
            yield f"{label}/{kind}", mutant


# ------------------------------------------------------------------------------ comparing

def _bits(t, lib):
    t = t.detach()
    if t.dtype == lib.bfloat16:
        t = t.view(lib.int16)
    a = np.ascontiguousarray(t.numpy())
    return a.dtype.str, a.shape, a.view(np.uint8).tobytes()


def same(theirs, ours, path="root"):
    """None when `ours` holds exactly what `theirs` holds, else where they differ."""
    if isinstance(theirs, torch.Tensor):
        if not isinstance(ours, T.Tensor):
            return f"{path}: {type(ours).__name__} instead of a tensor"
        if isinstance(theirs, torch.nn.Parameter) != isinstance(ours, T.nn.Parameter):
            return f"{path}: Parameter-ness differs"
        if str(theirs.dtype) != str(ours.dtype):
            return f"{path}: dtype {ours.dtype} vs {theirs.dtype}"
        if (tuple(theirs.shape), tuple(theirs.stride()), theirs.storage_offset()) != \
                (tuple(ours.shape), tuple(ours.stride()), ours.storage_offset()):
            return f"{path}: geometry {tuple(ours.shape)} {ours.stride()} {ours.storage_offset()} vs " \
                   f"{tuple(theirs.shape)} {theirs.stride()} {theirs.storage_offset()}"
        if theirs.requires_grad != ours.requires_grad:
            return f"{path}: requires_grad differs"
        if _bits(theirs, torch) != _bits(ours, T):
            return f"{path}: values differ"
        return None
    if isinstance(theirs, dict):
        if not isinstance(ours, dict) or list(theirs) != list(ours):
            return f"{path}: keys differ"
        for k in theirs:
            d = same(theirs[k], ours[k], f"{path}[{k!r}]")
            if d:
                return d
        return None
    if isinstance(theirs, (list, tuple)):
        if type(theirs) is not type(ours) or len(theirs) != len(ours):
            return f"{path}: containers differ"
        for i, (a, b) in enumerate(zip(theirs, ours)):
            d = same(a, b, f"{path}[{i}]")
            if d:
                return d
        return None
    if type(theirs) is not type(ours) or theirs != ours:
        return f"{path}: {ours!r} vs {theirs!r}"
    return None


def _outcome(load, data):
    with time_limit(20):
        try:
            return "ok", load(data)
        except TimeoutError:
            raise
        except BaseException as e:  # noqa: B036 - a crash-like error is a finding, not a test error
            return "error", e


def judge(data, mmap_path=None):
    """(verdict, detail) of one mutant: 'raised' / 'equal' are fine, anything else is a bug."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mmap_path is not None:
            with open(mmap_path, "wb") as fh:
                fh.write(data)
            t_kind, t_val = _outcome(lambda d: torch.load(mmap_path, mmap=True), data)
            o_kind, o_val = _outcome(lambda d: T.load(mmap_path, mmap=True), data)
        else:
            t_kind, t_val = _outcome(lambda d: torch.load(io.BytesIO(d)), data)
            o_kind, o_val = _outcome(lambda d: T.load(io.BytesIO(d)), data)
    if o_kind == "error":
        text = str(o_val)
        if not isinstance(o_val, CLEAN_ERRORS):
            return "unclean", f"{type(o_val).__name__}: {text[:300]}"
        if "mindspore" in text.lower() or "C++ Call Stack" in text:
            return "unclean", f"MindSpore text in {type(o_val).__name__}: {text[:300]}"
        return "raised", type(o_val).__name__
    if t_kind == "error":
        return "loaded-refused", f"torch raised {type(t_val).__name__}: {str(t_val)[:200]}"
    diff = same(t_val, o_val)
    if diff:
        return "different", diff
    return "equal", None


def run_corpus(scale, seed, budget_s=None, mmap_dir=None):
    counts = collections.Counter()
    bad = []
    start = time.monotonic()
    for i, (label, data) in enumerate(mutants(scale, seed)):
        path = None if mmap_dir is None or "legacy" in label else os.path.join(mmap_dir, "m.pt")
        verdict, detail = judge(data, path)
        counts[verdict] += 1
        if verdict not in ("raised", "equal"):
            bad.append((label, verdict, detail))
        if budget_s is not None and time.monotonic() - start > budget_s:
            break
    return counts, bad, time.monotonic() - start


# ------------------------------------------------------------------------------ tests

def test_bases_load_equal():
    for label, data in bases().items():
        assert judge(data) == ("equal", None), label


def test_fuzzed_checkpoints_raise_or_match_torch():
    counts, bad, took = run_corpus(scale=2, seed=0)
    print(f"fuzz: {sum(counts.values())} mutants {dict(counts)} in {took:.1f} s")
    assert sum(counts.values()) >= 500 and counts["equal"] >= 50 and counts["raised"] >= 300
    assert not bad, "\n".join(f"{l}: {v}: {d}" for l, v, d in bad[:20])


def test_fuzzed_checkpoints_mmap(tmp_path):
    counts, bad, took = run_corpus(scale=1, seed=1, mmap_dir=str(tmp_path), budget_s=None if LONG else 6)
    print(f"fuzz (mmap): {sum(counts.values())} mutants {dict(counts)} in {took:.1f} s")
    assert not bad, "\n".join(f"{l}: {v}: {d}" for l, v, d in bad[:20])


@skip_unless_long("thousands of mutants, several minutes")
@pytest.mark.parametrize("seed", [10, 11, 12])
def test_fuzzed_checkpoints_long(seed):
    counts, bad, took = run_corpus(scale=4, seed=seed)
    print(f"fuzz (long, seed {seed}): {sum(counts.values())} mutants {dict(counts)} in {took:.1f} s")
    assert not bad, "\n".join(f"{l}: {v}: {d}" for l, v, d in bad[:20])


if __name__ == "__main__":
    counts, bad, took = run_corpus(scale=int(sys.argv[1]) if len(sys.argv) > 1 else 1, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    print(dict(counts), f"{took:.1f} s")
    for row in bad:
        print(*row)
