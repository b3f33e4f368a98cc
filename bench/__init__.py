"""Benchmarks: `./run bench [NAME...]` prints the figures the issues ask for."""
