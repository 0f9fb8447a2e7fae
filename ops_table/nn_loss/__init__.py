"""Loss functions of torch.nn.functional (ctc_loss and the margin losses included)."""
