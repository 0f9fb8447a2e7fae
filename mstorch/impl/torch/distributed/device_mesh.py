"""torch.distributed.device_mesh: meshes of devices for sharded (DTensor) parallelism, which mstorch does
not support. Libraries import the class for type checks (no object is a DeviceMesh); making one raises."""


class DeviceMesh:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("mstorch: torch.distributed.device_mesh.DeviceMesh (sharded parallelism over a "
                                  "device mesh) is not supported")


def init_device_mesh(device_type, mesh_shape, *args, **kwargs):
    raise NotImplementedError("mstorch: torch.distributed.device_mesh.init_device_mesh (sharded parallelism over a "
                              "device mesh) is not supported")
