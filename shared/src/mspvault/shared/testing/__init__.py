"""Test plumbing shared by every service: the pytest plugin (real PostgreSQL and broker), `wait_until`, and the
fakes handler unit tests share (`FakeUnitOfWork`)."""

from mspvault.shared.testing.fakes import FakeUnitOfWork
from mspvault.shared.testing.plugin import DatabaseFactory
from mspvault.shared.testing.wait import wait_until

__all__ = ["DatabaseFactory", "FakeUnitOfWork", "wait_until"]
