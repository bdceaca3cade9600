"""Command handlers: load an aggregate through the store, apply the domain rule, publish its events, commit."""
