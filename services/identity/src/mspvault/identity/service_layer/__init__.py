"""Identity's command handlers (each takes a UnitOfWork and commits explicitly) and queries."""
