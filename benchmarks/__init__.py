"""Benchmarks: not timed tests. Each writes its figures to docs/BENCHMARKS.md with its command."""
