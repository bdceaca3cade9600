"""Named domain errors. Domains raise subclasses; the HTTP edge maps each family to one status code.

Resources a caller may not see raise `NotFoundError`, never a permission error, so ids do not leak.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken by the request: 400."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    """It does not exist, or the caller may not see it: 404."""


class ConflictError(DomainError):
    """The request conflicts with the current state (duplicate, stale revision): 409 unless a subclass says."""


class ForbiddenError(DomainError):
    """The caller may see the resource but not do this to it: 403."""
