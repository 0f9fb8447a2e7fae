"""torchvision.io: libraries import it at module level (transformers' video utilities) and
call it only for image/video files.  Nothing in it is served yet: each name raises
AttributeError naming itself, as for every module mstorch lists but does not fill."""
