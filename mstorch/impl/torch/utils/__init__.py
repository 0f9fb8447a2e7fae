"""torch.utils: the Python-level utilities (`torch.utils.data` lives in its own package)."""
