"""torch.distributed._composable: the composable APIs (FSDP2's fully_shard lives here too)."""
