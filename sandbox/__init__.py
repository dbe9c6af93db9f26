"""Run learners' PyTorch snippets safely and fast; imports nothing from the bot."""
