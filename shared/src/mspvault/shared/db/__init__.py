"""Database plumbing: declarative base with a naming convention, engine and session factory, unit of work."""
