"""torchvision.transforms.v2: libraries import it at module level (transformers' image
processors import `v2.functional`) and call it only on images.  Not served yet: each name
raises AttributeError naming itself; the v1 transforms (torchvision.transforms) are served."""
