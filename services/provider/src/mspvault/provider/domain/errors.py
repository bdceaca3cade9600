"""Named errors of the provider domain; the HTTP edge maps each family (400 / 404 / 409) from mspvault.shared."""

from __future__ import annotations

from mspvault.shared.errors import ConflictError, DomainError, NotFoundError


class ProviderNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("Provider not found.")


class ProviderUserNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("User not found.")


class ClientNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("Organization not found.")


class ProviderAlreadySetUp(DomainError):
    def __init__(self) -> None:
        super().__init__("Provider is already set up.")


class InvalidInviteToken(DomainError):
    def __init__(self, reason: str = "Invalid token.") -> None:
        super().__init__(reason, field="token")


class InviteEmailMismatch(DomainError):
    def __init__(self) -> None:
        super().__init__("User email does not match invite.")


class InviteNotPending(DomainError):
    def __init__(self) -> None:
        super().__init__("Invitation already accepted.")


class AlreadyProviderUser(ConflictError):
    def __init__(self) -> None:
        super().__init__("You are already a user of this provider.")


class UserNotAccepted(DomainError):
    """Confirm hands over the provider key, so it only follows an accepted invite."""

    def __init__(self) -> None:
        super().__init__("User must accept the invite before being confirmed.")


class UserNotInvited(DomainError):
    def __init__(self) -> None:
        super().__init__("User invalid.")


class LastProviderAdmin(DomainError):
    def __init__(self) -> None:
        super().__init__("Provider must have at least one confirmed ProviderAdmin.")


class CannotActOnSelf(DomainError):
    def __init__(self, action: str) -> None:
        super().__init__(f"You cannot {action} yourself.")


class AlreadyRevoked(DomainError):
    def __init__(self) -> None:
        super().__init__("Already revoked.")


class NotRevoked(DomainError):
    def __init__(self) -> None:
        super().__init__("Already active.")


class InvalidEncString(DomainError):
    def __init__(self, field: str, expected: str) -> None:
        super().__init__(f"{field} must be an encrypted string of type {expected}.", field=field)


class PlanNotAllowed(DomainError):
    def __init__(self) -> None:
        super().__init__("Plan type not allowed for this provider.", field="planType")


class OrganizationAlreadyLinked(ConflictError):
    def __init__(self) -> None:
        super().__init__("Organization already belongs to a provider.")


class ClientHasNoConfirmedOwner(DomainError):
    def __init__(self) -> None:
        super().__init__("Organization must have at least one confirmed owner.")
