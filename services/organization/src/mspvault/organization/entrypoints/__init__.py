"""Entrypoints: HTTP routers (public Bitwarden paths and /internal) and Kafka consumers."""
