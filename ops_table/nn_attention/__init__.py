"""Attention: scaled_dot_product_attention."""
