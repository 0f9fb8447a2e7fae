"""torch.nn.functional ops that were Python outside the table: embedding, rms_norm, ctc_loss and the
margin losses, scaled_dot_product_attention, the upsample and max_unpool kernels (to be distributed
into the families of what they compute)."""
