"""torchvision.transforms.v2.functional: imported by transformers' image processors at module
level.  Not served yet (each name raises AttributeError naming itself); the v1 functional
API (torchvision.transforms.functional) is served."""
