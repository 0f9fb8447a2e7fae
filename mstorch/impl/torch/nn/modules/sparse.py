"""Embedding (over F.embedding) and EmbeddingBag (sum/mean/max, offsets) with the F.embedding_bag it calls."""
import numpy as np

from mstorch.impl.torch._ns import F, torch
from mstorch.impl.torch.nn import init
from mstorch.impl.torch.nn.modules.module import Module
from mstorch.impl.torch.nn.modules.utils import empty_param
from mstorch.impl.torch.nn.parameter import Parameter


def _check_not_sparse(sparse):
    if sparse:
        raise NotImplementedError("mstorch: nn.Embedding/EmbeddingBag(sparse=True) (sparse gradients) is not "
                                  "supported; use sparse=False")


def _normalize_padding_idx(padding_idx, num_embeddings):
    if padding_idx is None:
        return None
    if padding_idx > 0:
        assert padding_idx < num_embeddings, "Padding_idx must be within num_embeddings"
    elif padding_idx < 0:
        assert padding_idx >= -num_embeddings, "Padding_idx must be within num_embeddings"
        padding_idx = num_embeddings + padding_idx
    return padding_idx


class Embedding(Module):
    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        _check_not_sparse(sparse)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _normalize_padding_idx(padding_idx, num_embeddings)
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        if _weight is None:
            self.weight = Parameter(empty_param((num_embeddings, embedding_dim), dtype, device),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            assert list(_weight.shape) == [num_embeddings, embedding_dim], \
                "Shape of weight does not match num_embeddings and embedding_dim"
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        self.sparse = sparse

    def reset_parameters(self):
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self):
        if self.padding_idx is not None:
            with torch.no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        assert embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional"
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Bags are gathered rows reduced per bag; bag membership comes from the (integer, non-differentiable)
    offsets, so it is computed on the host and the differentiable part is index_select + index_add/max."""
    _check_not_sparse(sparse)
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             "fixed length sequences. However, found offsets of type "
                             f"{type(offsets).__module__}.{type(offsets).__name__}")
        offs = np.arange(0, input.numel(), input.size(1), dtype=np.int64)
        flat = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        offs = offsets.detach().cpu().numpy().astype(np.int64)
        flat = input
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "the PyTorch GitHub.")
    if scale_grad_by_freq and mode == "max":
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if padding_idx is not None:
        padding_idx = _normalize_padding_idx(padding_idx, weight.size(0))
    if max_norm is not None:
        with torch.no_grad():
            torch.embedding_renorm_(weight, flat.contiguous(), max_norm, norm_type)

    idx = flat.detach().cpu().numpy().astype(np.int64)
    n = idx.size
    if include_last_offset:
        ends = offs[1:]
        offs = offs[:-1]
    else:
        ends = np.append(offs[1:], n)
    num_bags = offs.size
    bag_of = np.repeat(np.arange(num_bags), np.maximum(ends - offs, 0))
    pos = np.concatenate([np.arange(s, e) for s, e in zip(offs, ends)] or [np.zeros(0, np.int64)]).astype(np.int64)
    keep = idx[pos] != padding_idx if padding_idx is not None else np.ones(pos.size, bool)
    pos, bag_of = pos[keep], bag_of[keep]
    dev = weight.device
    rows = weight.index_select(0, torch.tensor(idx[pos], dtype=torch.long, device=dev))
    if scale_grad_by_freq and rows.requires_grad:
        uniq, counts = np.unique(idx, return_counts=True)
        freq = dict(zip(uniq.tolist(), counts.tolist()))
        inv = torch.tensor([1.0 / freq[i] for i in idx[pos].tolist()], dtype=weight.dtype,
                           device=dev).unsqueeze(1)
        rows.register_hook(lambda g: g * inv)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.index_select(0, torch.tensor(pos, dtype=torch.long, device=dev)).unsqueeze(1)
    out = torch.zeros(num_bags, weight.size(1), dtype=weight.dtype, device=dev)
    if mode == "max":
        parts = []
        for b in range(num_bags):
            sel = np.nonzero(bag_of == b)[0]
            if sel.size:
                parts.append(rows.index_select(0, torch.tensor(sel, dtype=torch.long, device=dev)).max(0)[0])
            else:
                parts.append(out[b])
        return torch.stack(parts) if parts else out
    bag_ids = torch.tensor(bag_of, dtype=torch.long, device=dev)
    out = out.index_add(0, bag_ids, rows)
    if mode == "mean":
        counts = np.bincount(bag_of, minlength=num_bags).astype(np.float64)
        denom = torch.tensor(np.maximum(counts, 1), dtype=weight.dtype, device=dev).unsqueeze(1)
        out = out / denom
    return out


class EmbeddingBag(Module):
    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None, device=None,
                 dtype=None):
        super().__init__()
        _check_not_sparse(sparse)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.padding_idx = _normalize_padding_idx(padding_idx, num_embeddings)
        if _weight is None:
            self.weight = Parameter(empty_param((num_embeddings, embedding_dim), dtype, device))
            self.reset_parameters()
        else:
            assert list(_weight.shape) == [num_embeddings, embedding_dim], \
                "Shape of weight does not match num_embeddings and embedding_dim"
            self.weight = Parameter(_weight)
        self.mode, self.sparse, self.include_last_offset = mode, sparse, include_last_offset

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with torch.no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                             self.mode, self.sparse, per_sample_weights, self.include_last_offset,
                             self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        assert embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional"
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, max_norm=max_norm,
                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
