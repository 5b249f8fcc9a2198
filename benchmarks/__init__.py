"""Data generators and performance benchmarks (`python -m benchmarks`)."""
