"""Normalization layers' functional forms: batch/layer/group/instance norm, normalize."""
