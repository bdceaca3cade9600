"""Commands (one handler per use case, each taking a unit of work and committing explicitly) and queries."""
