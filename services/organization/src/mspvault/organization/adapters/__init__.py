"""Adapters: the service's tables (SQLAlchemy Core), kept apart from the domain and the API models."""
