"""Factories: zeros/ones/full/empty/arange/linspace/eye..., their *_like and new_* forms, tril/triu_indices."""
