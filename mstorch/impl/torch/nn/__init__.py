"""torch.nn (modules arrive with issue #6; functional ops come from the table)."""
