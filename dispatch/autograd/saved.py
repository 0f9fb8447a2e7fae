"""Saved values for backward, with PyTorch's version-counter check."""
import re
import weakref


class SavedTensor:
    __slots__ = ("tensor", "version", "out_ref", "node_name", "out_nr", "is_output")

    def __init__(self, tensor, is_output=False, node_name=None, out_nr=0):
        self.version = tensor._storage.version
        self.is_output = is_output
        self.node_name = node_name
        self.out_nr = out_nr
        if is_output:
            # Saving an op's own output strongly would make output -> grad_fn -> output
            # cycles; keep a detached alias and reach the real output weakly (needed
            # only to differentiate through it with create_graph).
            self.out_ref = weakref.ref(tensor)
            self.tensor = tensor._detached_alias()
        else:
            self.out_ref = None
            self.tensor = tensor

    def unpack(self, node_name, create_graph, node=None):
        t = self.tensor
        if t is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved tensors after they "
                "have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved tensors after calling backward.")
        if t._storage.version != self.version:
            dtype = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
                     "bool": "Bool", "bfloat16": "BFloat16", "uint8": "Byte"}.get(t._dtype.name, t._dtype.name)
            shape = ", ".join(str(s) for s in t.shape)
            # PyTorch names the tensor's *current* producer (after the in-place op, e.g.
            # "Add" or CopySlices), by its forward name; a leaf gets no clause.
            # An op's saved output is named after the node that saved it (PyTorch does not
            # keep the output's grad_fn, to avoid a cycle); a saved input by its current
            # producer (after the in-place op: "Add", CopySlices); a leaf gets no clause.
            if self.is_output:
                which = f", which is output {self.out_nr} of {re.sub(r'Backward[0-9]*$', '', node_name)},"
            else:
                gf = t._grad_fn
                which = "" if gf is None else \
                    f", which is output {t._output_nr} of {re.sub(r'Backward[0-9]*$', '', gf.name())},"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                f"[torch.{dtype}Tensor [{shape}]]{which} is at version {t._storage.version}; expected version "
                f"{self.version} instead. Hint: enable anomaly detection to find the operation that failed to "
                "compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        if self.is_output and create_graph:
            real = self.out_ref()
            if real is not None:
                return real
            if node is not None:
                # The output itself is gone: as PyTorch does, rebuild it from the saved data
                # with the unpacking node as its grad_fn, so double backward still sees
                # that the formula's `result` depends on the inputs.
                r = t._detached_alias()
                r._grad_fn, r._output_nr, r._requires_grad = node, self.out_nr, True
                return r
        return t

    def release(self):
        self.tensor = None


class TensorMeta:
    """What a formula sees of an argument it reads only metadata from: no buffer is kept."""
    __slots__ = ("shape", "dtype", "device", "_stride", "_offset")

    def __init__(self, t):
        self.shape, self.dtype, self.device = t.shape, t.dtype, t.device
        self._stride, self._offset = t.stride(), t.storage_offset()

    @property
    def ndim(self):
        return len(self.shape)

    def dim(self):
        return len(self.shape)

    def size(self, d=None):
        return self.shape if d is None else self.shape[d]

    def numel(self):
        n = 1
        for s in self.shape:
            n *= s
        return n

    def stride(self, d=None):
        return self._stride if d is None else self._stride[d]

    def storage_offset(self):
        return self._offset

    def is_complex(self):
        return self.dtype.is_complex

    def is_floating_point(self):
        return self.dtype.is_floating_point


class SavedMeta:
    __slots__ = ("meta",)

    def __init__(self, tensor):
        self.meta = TensorMeta(tensor)

    def unpack(self, node_name, create_graph, node=None):
        return self.meta

    def release(self):
        pass
