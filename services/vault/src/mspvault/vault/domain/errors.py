"""Named errors of the vault. The HTTP edge maps each family to its status; messages are Bitwarden's where the
official clients print them."""

from __future__ import annotations

from mspvault.shared.errors import DomainError, NotFoundError


class CipherNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("Cipher doesn't exist")


class FolderNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("Folder doesn't exist")


class OrganizationNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("Organization not found")


class NotesTooLong(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The field Notes exceeds the maximum encrypted value length of {limit} characters.", field="notes"
        )


class InvalidCipherType(DomainError):
    def __init__(self) -> None:
        super().__init__("Invalid type", field="type")


class CipherDataMissing(DomainError):
    def __init__(self, field: str) -> None:
        super().__init__("Data missing", field=field)


class StaleCipher(DomainError):
    def __init__(self) -> None:
        super().__init__("The client copy of this cipher is out of date. Resync the client and try again.")


class CipherNotWritable(DomainError):
    """The caller sees the item but may not change it (read-only collection): 400, as Vaultwarden answers."""

    def __init__(self) -> None:
        super().__init__("Cipher is not write accessible")


class CollectionsNotChangeable(DomainError):
    def __init__(self) -> None:
        super().__init__("Collection cannot be changed")


class NotAnOrganizationCipher(DomainError):
    def __init__(self) -> None:
        super().__init__("Cipher is not owned by an organization")


class OrganizationMismatch(DomainError):
    def __init__(self) -> None:
        super().__init__("Organization mismatch. Please resync the client before updating the cipher")


class InvalidCollection(DomainError):
    def __init__(self) -> None:
        super().__init__("Invalid collection ID provided", field="collectionIds")


class CollectionNotWritable(DomainError):
    def __init__(self) -> None:
        super().__init__("No rights to modify the collection", field="collectionIds")


class CannotAddToOrganization(DomainError):
    def __init__(self) -> None:
        super().__init__("You don't have permission to add cipher directly to organization")


class ShareNeedsOrganization(DomainError):
    def __init__(self) -> None:
        super().__init__("An organization is required to share an item", field="cipher.organizationId")


class NotEncryptedForCaller(DomainError):
    def __init__(self) -> None:
        super().__init__("This cipher was not encrypted for the current user. Please try again.", field="encryptedFor")


class InvalidFolder(DomainError):
    def __init__(self) -> None:
        super().__init__("Invalid folder", field="folderId")


class NoCiphersSelected(DomainError):
    def __init__(self) -> None:
        super().__init__("You must select at least one cipher.", field="ids")
