"""Handlers: one per use case (commands.py), each taking a `VaultWork` (ports.py) and committing explicitly;
projections of other services' events; what the audit log records."""
