"""Implementation of the top-level `torch` namespace beyond table ops."""
