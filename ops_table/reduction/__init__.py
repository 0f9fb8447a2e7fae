"""Reductions over dimensions and scans along one (sum, mean, max, median, cumsum...)."""
