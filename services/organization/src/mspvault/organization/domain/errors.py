"""Named errors of the organization domain; the HTTP edge maps each family (400/404/409) to its status."""

from __future__ import annotations

from mspvault.shared.errors import ConflictError, DomainError, NotFoundError


class OrganizationNotFound(NotFoundError, message="Organization not found."): ...


class MemberNotFound(NotFoundError, message="Organization user not found."): ...


class CollectionNotFound(NotFoundError, message="Collection not found."): ...


class GroupNotFound(NotFoundError, message="Group not found."): ...


class NotPermitted(NotFoundError):
    """The caller's role does not allow this. Answered as 404, never 403: the official bw CLI logs a user out on
    any 403, and a role need not be revealed to someone who may not act on it."""

    def __init__(self, what: str) -> None:
        super().__init__(f"You do not have permission to {what}.")


class OnlyOwnersManageOwners(DomainError, message="Only Owners can manage Owners."):
    """400, as Bitwarden answers it (a 403 would log the official CLI out)."""


class SeatLimitReached(DomainError):
    def __init__(self, seats: int) -> None:
        super().__init__(f"Seat limit has been reached ({seats} seats). Contact your provider for more seats.")


class InvalidMemberState(DomainError):
    """A lifecycle step was asked for from the wrong status (e.g. confirm before accept)."""


class AlreadyMember(ConflictError):
    def __init__(self, email: str) -> None:
        super().__init__(f"User already invited or a member of the organization: {email}", field="emails")


class InvalidInviteToken(DomainError, message="Invalid or expired invitation token.", field="token"): ...


class InviteEmailMismatch(DomainError, message="This invitation was issued to a different account.", field="token"): ...


class SingleOrgPolicyViolation(DomainError):
    """The Single Organization policy forbids this membership."""


class TwoStepLoginRequired(DomainError):
    """The Require two-step login policy forbids this membership until the user turns two-step login on."""


class PolicyDependency(DomainError):
    """A policy needs (or is needed by) another policy's state."""


class LastOwner(DomainError, message="The organization must keep at least one confirmed Owner."): ...


class SelfAction(DomainError):
    def __init__(self, what: str, where: str = "") -> None:
        super().__init__(f"You cannot {what} yourself{where}.")


class InvalidEncString(DomainError):
    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field} must be an EncString of type {expected}.", field=field)


class UnknownReference(DomainError):
    """A request names a collection, group or member that is not in this organization."""

    def __init__(self, kind: str, field: str) -> None:
        super().__init__(f"One or more {kind} do not belong to this organization.", field=field)


def require(allowed: bool, what: str) -> None:
    """A right the caller's standing lacks: 404 (`NotPermitted`), never 403."""
    if not allowed:
        raise NotPermitted(what)


class CannotGrant(DomainError):
    """A member or group manager tried to hand out a right they do not hold themselves (issue 11 #1)."""


class ProviderUsersAreNotMembers(
    DomainError,
    message="Provider users administer client organizations through their provider and cannot join them as members.",
    field="emails",
):
    """Issue 11 #6: a provider user's rights in a client come only through the provider, so revoking them there
    removes them here; a direct membership would outlive that."""
