"""What the tests share besides conftest.py's fixtures: a tiny MarianMT model, sample aligned files,
report folders, seed sentence pairs, a local Ray cluster."""
