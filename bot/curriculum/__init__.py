"""Lessons: the file format, the loader and the catalog."""
