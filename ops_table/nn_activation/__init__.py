"""torch.nn.functional activations, softmax family, one_hot, embedding (with its max_norm renorm)."""
