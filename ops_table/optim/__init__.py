"""Fused optimizer steps (_fused_adam_, _fused_sgd_...)."""
