"""Test plumbing shared by every service: the pytest plugin (real PostgreSQL and broker) and `wait_until`."""

from mspvault.shared.testing.plugin import DatabaseFactory
from mspvault.shared.testing.wait import wait_until

__all__ = ["DatabaseFactory", "wait_until"]
