"""Alembic environment of the organization service: the shared async runner with this service's metadata."""

from mspvault.organization.adapters.orm import metadata
from mspvault.shared.db.alembic_env import run

run(metadata)
