"""Pooling: max/avg/adaptive/lp pooling, max_unpool, unfold/fold."""
