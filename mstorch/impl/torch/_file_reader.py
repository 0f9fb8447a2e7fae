"""PyTorchFileReader (torch.PyTorchFileReader, from PyTorch's C extension): the records of
a torch.save zip archive by their names inside the archive's top folder, as PyTorch's
reader names them (`data.pkl`, `data/0`, `byteorder`, `.data/serialization_id`)."""
import zipfile

import numpy as np

from dispatch.interop import from_numpy


class PyTorchFileReader:
    def __init__(self, file):
        self._zip = zipfile.ZipFile(file)
        names = self._zip.namelist()
        if not names:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: archive is empty")
        # Every record sits under one top folder (the archive's name when it was saved).
        self._prefix = names[0].split("/", 1)[0] + "/"
        self._records = {n[len(self._prefix):]: n for n in names if n.startswith(self._prefix)}

    def get_all_records(self):
        return list(self._records)

    def has_record(self, name):
        return name in self._records

    def get_record(self, name):
        if name not in self._records:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        return self._zip.read(self._records[name])

    def serialization_id(self):
        sid = ".data/serialization_id"
        return self.get_record(sid).decode() if sid in self._records else ""

    def get_storage_from_record(self, name, numel, dtype):
        """An empty tensor of `dtype` whose storage holds the record's `numel` elements."""
        record = self.get_record(name)
        if len(record) != numel * dtype.itemsize:
            raise RuntimeError(f"record size ({len(record)} bytes) does not match expected size "
                               f"({numel * dtype.itemsize} bytes = {numel} elements * {dtype.itemsize} "
                               f"bytes/element) for dtype {dtype.scalar_type}")
        # PyTorch hands back an empty tensor over the record's storage (read via its storage).
        return from_numpy(np.frombuffer(bytearray(record), dtype=dtype.np))[:0]

