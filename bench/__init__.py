"""Benchmarks of the hall server (``hall bench``): figures for docs/PERFORMANCE.md, not tests."""
