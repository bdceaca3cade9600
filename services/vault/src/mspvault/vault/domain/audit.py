"""Item event logs: who may read one (Bitwarden's `EventsController.GetCipher`), and for whom a user acted.

- A personal item's log is its owner's.
- An organization item's log is for those who may read the organization's event logs: confirmed Owners and Admins,
  Custom members granted `accessEventLogs`, and active users of the provider the organization is a client of.
Everyone else gets 404, as for the item itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from mspvault.vault.domain.access import CallerFacts, CipherFacts, MemberType


def acting_provider(caller: CallerFacts, organization_id: uuid.UUID) -> uuid.UUID | None:
    """The provider a user acts for in an organization (the organization service's rule): its active users act
    through the client link, unless they are a confirmed Owner of the organization in their own right."""
    membership = caller.memberships.get(organization_id)
    if membership is not None and membership.is_active and membership.type == MemberType.OWNER:
        return None
    link = caller.client_links.get(organization_id)
    provider = caller.providers.get(link.provider_id) if link is not None else None
    return link.provider_id if link is not None and provider is not None and provider.is_active else None


def may_read_cipher_events(
    caller: CallerFacts, cipher: CipherFacts, permissions: Mapping[str, object] | None = None
) -> bool:
    """`permissions` are the caller's Custom permissions in the item's organization, if any."""
    if cipher.organization_id is None:
        return cipher.owner_id == caller.user_id
    membership = caller.memberships.get(cipher.organization_id)
    if membership is not None and membership.is_active:
        if membership.type in (MemberType.OWNER, MemberType.ADMIN):
            return True
        if membership.type == MemberType.CUSTOM and (permissions or {}).get("accessEventLogs") is True:
            return True
    link = caller.client_links.get(cipher.organization_id)
    provider = caller.providers.get(link.provider_id) if link is not None else None
    return provider is not None and provider.is_active
