"""torch.nn.functional activations, softmax family, one_hot and embedding."""
