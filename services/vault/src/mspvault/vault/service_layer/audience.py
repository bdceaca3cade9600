"""Whose view changes when items change: the users whose revision dates a write must bump."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.vault.adapters.read_models import organization_audience
from mspvault.vault.adapters.repository import StoredCipher
from mspvault.vault.domain.access import audience_of


async def audience(session: AsyncSession, ciphers: Iterable[StoredCipher]) -> set[uuid.UUID]:
    """Everyone who can see any of these ciphers as they are now (owners, members, provider users)."""
    users: set[uuid.UUID] = set()
    by_org: dict[uuid.UUID, list[StoredCipher]] = defaultdict(list)
    for cipher in ciphers:
        if cipher.organization_id is None:
            if cipher.user_id is not None:
                users.add(cipher.user_id)
        else:
            by_org[cipher.organization_id].append(cipher)
    for organization_id, org_ciphers in by_org.items():
        # One read of the organization's facts serves all its items.
        collection_ids = {cid for cipher in org_ciphers for cid in cipher.collection_ids}
        facts = await organization_audience(session, organization_id, collection_ids)
        for cipher in org_ciphers:
            users |= audience_of(facts, cipher.collection_ids)
    return users
