"""torch.distributed.tensor._utils: the DTensor layout arithmetic libraries import at module level
(transformers' sharding utilities). mstorch has no device meshes, so computing a layout over one
raises naming the function."""


def compute_local_shape_and_global_offset(global_shape, mesh, placements, skip_offset=False):
    raise NotImplementedError("mstorch: torch.distributed.tensor._utils.compute_local_shape_and_global_offset "
                              "(DTensor layouts over a device mesh) is not supported")
