"""Command handlers (each takes a UnitOfWork and commits explicitly), event projections, and queries."""
