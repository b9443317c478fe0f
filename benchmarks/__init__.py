"""Reproducible performance runs: large generated event sets, the dashboard interactions, the load test."""
