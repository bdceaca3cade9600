"""Named errors of the provider domain; the HTTP edge maps each family (400 / 404 / 409) from mspvault.shared."""

from __future__ import annotations

from mspvault.shared.errors import ConflictError, DomainError, NotFoundError


class ProviderNotFound(NotFoundError, message="Provider not found."): ...


class ProviderUserNotFound(NotFoundError, message="User not found."): ...


class ClientNotFound(NotFoundError, message="Organization not found."): ...


class ProviderAlreadySetUp(DomainError, message="Provider is already set up."): ...


class InvalidInviteToken(DomainError, message="Invalid token.", field="token"): ...


class InviteEmailMismatch(DomainError, message="User email does not match invite."): ...


class InviteNotPending(DomainError, message="Invitation already accepted."): ...


class AlreadyProviderUser(ConflictError, message="You are already a user of this provider."): ...


class UserNotAccepted(DomainError, message="User must accept the invite before being confirmed."):
    """Confirm hands over the provider key, so it only follows an accepted invite."""


class UserNotInvited(DomainError, message="User invalid."): ...


class LastProviderAdmin(DomainError, message="Provider must have at least one confirmed ProviderAdmin."): ...


class CannotActOnSelf(DomainError):
    def __init__(self, action: str) -> None:
        super().__init__(f"You cannot {action} yourself.")


class AlreadyRevoked(DomainError, message="Already revoked."): ...


class NotRevoked(DomainError, message="Already active."): ...


class InvalidEncString(DomainError):
    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field} must be an encrypted string of type {expected}.", field=field)


class PlanNotAllowed(DomainError, message="Plan type not allowed for this provider.", field="planType"): ...


class OrganizationAlreadyLinked(ConflictError, message="Organization already belongs to a provider."): ...


class ClientHasNoConfirmedOwner(DomainError, message="Organization must have at least one confirmed owner."): ...
