"""Torch Tutor: a chat tutor for PyTorch."""
