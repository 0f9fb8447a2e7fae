"""torch.distributed.tensor.placement_types: how a DTensor is laid out over one mesh dimension.
The placements are plain descriptions (libraries build and compare them when they import);
placing a tensor with them needs a DTensor, which mstorch does not support."""


class Placement:
    def is_shard(self, dim=None):
        return False

    def is_replicate(self):
        return False

    def is_partial(self, reduce_op=None):
        return False


class Shard(Placement):
    def __init__(self, dim=0):
        self.dim = dim

    def is_shard(self, dim=None):
        return dim is None or dim == self.dim

    @staticmethod
    def local_shard_size_and_offset(curr_local_size, num_chunks, rank):
        """(size, offset) of chunk `rank` when `curr_local_size` elements are cut as torch.chunk cuts them."""
        if curr_local_size % num_chunks == 0:
            size = curr_local_size // num_chunks
            return size, size * rank
        full = -(-curr_local_size // num_chunks)
        start = full * rank
        if start > curr_local_size:
            return 0, curr_local_size
        return min(curr_local_size, start + full) - start, start

    def __eq__(self, other):
        return type(other) is type(self) and other.dim == self.dim

    def __hash__(self):
        return hash((type(self), self.dim))

    def __repr__(self):
        return f"Shard(dim={self.dim})"


class _StridedShard(Shard):
    def __init__(self, dim=0, split_factor=1):
        super().__init__(dim)
        self.split_factor = split_factor

    def __eq__(self, other):
        return super().__eq__(other) and other.split_factor == self.split_factor

    def __hash__(self):
        return hash((type(self), self.dim, self.split_factor))

    def __repr__(self):
        return f"_StridedShard(dim={self.dim}, sf={self.split_factor})"


class Replicate(Placement):
    def is_replicate(self):
        return True

    def __eq__(self, other):
        return type(other) is Replicate

    def __hash__(self):
        return hash(Replicate)

    def __repr__(self):
        return "Replicate()"


class Partial(Placement):
    def __init__(self, reduce_op="sum"):
        self.reduce_op = reduce_op

    def is_partial(self, reduce_op=None):
        return reduce_op is None or reduce_op == self.reduce_op

    def __eq__(self, other):
        return type(other) is Partial and other.reduce_op == self.reduce_op

    def __hash__(self):
        return hash((Partial, self.reduce_op))

    def __repr__(self):
        return f"Partial({self.reduce_op})"
