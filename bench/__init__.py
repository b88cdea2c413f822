"""Benchmarks and measurements; each module runs as `python -m bench.<name>`."""
