"""The collectives behind torch.distributed, on MindSpore's communication layer."""
