"""Loss functions of torch.nn.functional."""
