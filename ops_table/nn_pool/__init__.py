"""Pooling: max/avg/adaptive/lp pooling, unfold/fold."""
