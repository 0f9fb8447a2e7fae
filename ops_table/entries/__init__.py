"""Declarative op entries, one module per family."""
