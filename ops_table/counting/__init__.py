"""Counting and set membership: bincount, isin, cartesian_prod."""
