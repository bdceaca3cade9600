"""Named domain errors. Domains raise subclasses; the HTTP edge maps each family to one status code.

Resources a caller may not see raise `NotFoundError`, never a permission error, so ids do not leak.

An error with one fixed answer states it in its class line, so a service's catalogue of errors reads as a table
(name, family, message, the request field it is about) and `raise FolderNotFound()` needs no arguments:

    class FolderNotFound(NotFoundError, message="Folder doesn't exist"): ...

An error whose message depends on the case takes it when raised (`InvalidMemberState("...")`), or builds it in its
own `__init__`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A rule was broken by the request: 400."""

    default_message: ClassVar[str | None] = None
    default_field: ClassVar[str | None] = None

    def __init_subclass__(cls, *, message: str | None = None, field: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if message is not None:
            cls.default_message = message
        if field is not None:
            cls.default_field = field

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        message = self.default_message if message is None else message
        if message is None:
            raise TypeError(f"{type(self).__name__} states no message of its own: pass one")
        super().__init__(message)
        self.message = message
        self.field = self.default_field if field is None else field


class NotFoundError(DomainError):
    """It does not exist, or the caller may not see it: 404."""


class ConflictError(DomainError):
    """The request conflicts with the current state (duplicate, stale revision): 409 unless a subclass says."""


class ForbiddenError(DomainError):
    """The caller may see the resource but not do this to it: 403."""
