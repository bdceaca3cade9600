"""Benchmarks: each prints its figures. They are not tests; speed goals are ratios measured in one run."""
