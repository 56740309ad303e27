"""Benchmarks of the Kennisbank API (`make bench`): figures and ratios, never timed tests."""
