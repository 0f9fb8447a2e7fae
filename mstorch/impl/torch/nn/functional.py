"""torch.nn.functional beyond single table ops."""
