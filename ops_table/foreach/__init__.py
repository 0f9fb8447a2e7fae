"""torch._foreach_*: per-tensor-list arithmetic used by the optimizers."""
