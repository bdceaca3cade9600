"""Named errors of the vault. The HTTP edge maps each family to its status; messages are Bitwarden's where the
official clients print them."""

from __future__ import annotations

from mspvault.shared.errors import DomainError, NotFoundError


class CipherNotFound(NotFoundError, message="Cipher doesn't exist"): ...


class FolderNotFound(NotFoundError, message="Folder doesn't exist"): ...


class OrganizationNotFound(NotFoundError, message="Organization not found"): ...


class NotesTooLong(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The field Notes exceeds the maximum encrypted value length of {limit} characters.", field="notes"
        )


class InvalidCipherType(DomainError, message="Invalid type", field="type"): ...


class CipherDataMissing(DomainError):
    def __init__(self, field: str) -> None:
        super().__init__("Data missing", field=field)


class StaleCipher(
    DomainError, message="The client copy of this cipher is out of date. Resync the client and try again."
): ...


class CipherNotWritable(DomainError, message="Cipher is not write accessible"):
    """The caller sees the item but may not change it (read-only collection): 400, as Vaultwarden answers."""


class CollectionsNotChangeable(DomainError, message="Collection cannot be changed"): ...


class NotAnOrganizationCipher(DomainError, message="Cipher is not owned by an organization"): ...


class OrganizationMismatch(
    DomainError, message="Organization mismatch. Please resync the client before updating the cipher"
): ...


class InvalidCollection(DomainError, message="Invalid collection ID provided", field="collectionIds"): ...


class CollectionNotWritable(DomainError, message="No rights to modify the collection", field="collectionIds"): ...


class CannotAddToOrganization(
    DomainError, message="You don't have permission to add cipher directly to organization"
): ...


class ShareNeedsOrganization(
    DomainError, message="An organization is required to share an item", field="cipher.organizationId"
): ...


class NotEncryptedForCaller(
    DomainError, message="This cipher was not encrypted for the current user. Please try again.", field="encryptedFor"
): ...


class InvalidFolder(DomainError, message="Invalid folder", field="folderId"): ...


class NoCiphersSelected(DomainError, message="You must select at least one cipher.", field="ids"): ...
