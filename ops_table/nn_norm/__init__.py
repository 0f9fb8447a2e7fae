"""Normalization layers' functional forms: batch/layer/group/instance/rms norm, normalize."""
