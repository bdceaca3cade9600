"""Steps the cipher and folder handlers share: loading with the access rule, whose view changed, publishing."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from mspvault.shared.contracts.envelope import Actor, EventData
from mspvault.shared.observability.origin import acting
from mspvault.vault.domain.access import CallerFacts, audience_of
from mspvault.vault.domain.cipher import NO_PREFS, Cipher, CipherView, organizations_of
from mspvault.vault.domain.errors import CipherNotFound, InvalidFolder
from mspvault.vault.service_layer.ports import VaultWork


def publish_all(work: VaultWork, events: list[EventData], actor: Actor) -> None:
    for event in events:
        work.uow.publish(event, actor=actor)
    events.clear()


def publish_cipher_events(work: VaultWork, ciphers: Iterable[Cipher], user_id: uuid.UUID) -> None:
    # The actor carries the request's device type and address, for the audit logs.
    for cipher in ciphers:
        publish_all(work, cipher.events, acting(user_id))


async def check_folder(work: VaultWork, user_id: uuid.UUID, folder_id: uuid.UUID | None) -> None:
    if folder_id is not None and await work.store.folder(user_id, folder_id) is None:
        raise InvalidFolder()


async def facts_about(
    work: VaultWork, user_id: uuid.UUID, ciphers: Iterable[Cipher], *also: uuid.UUID | None
) -> CallerFacts:
    """The caller's facts in the organizations of these ciphers and `also` (where a command moves them): a provider
    user's write reads the one client's facts, however many clients the provider has."""
    return await work.store.caller_facts(user_id, organizations_of(ciphers, *also))


async def load_visible(
    work: VaultWork,
    user_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    *,
    lock: bool = False,
    also: Iterable[uuid.UUID | None] = (),
) -> tuple[CallerFacts, list[Cipher]]:
    """The caller's facts (as `facts_about`) and the ciphers, in the order asked; 404 if the caller may not see any
    one of them. `lock` serializes edits of the items."""
    unique = list(dict.fromkeys(ids))
    found = {cipher.id: cipher for cipher in await work.store.ciphers(unique, lock=lock)}
    facts = await facts_about(work, user_id, found.values(), *also)
    loaded = []
    for cipher_id in unique:
        cipher = found.get(cipher_id)
        if cipher is None:
            raise CipherNotFound()
        cipher.visible_to(facts)
        loaded.append(cipher)
    return facts, loaded


async def load_for_write(
    work: VaultWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID], *, also: Iterable[uuid.UUID | None] = ()
) -> tuple[CallerFacts, list[Cipher]]:
    """Lock the ciphers; 404 if the caller may not see any one of them, then 400 if they may only read one."""
    facts, loaded = await load_visible(work, user_id, ids, lock=True, also=also)
    for cipher in loaded:
        cipher.writable_by(facts)
    return facts, loaded


async def audience(work: VaultWork, ciphers: Iterable[Cipher]) -> set[uuid.UUID]:
    """Everyone who can see any of these ciphers as they are now (owners, members, provider users)."""
    users: set[uuid.UUID] = set()
    by_org: dict[uuid.UUID, list[Cipher]] = defaultdict(list)
    for cipher in ciphers:
        if cipher.organization_id is None:
            if cipher.user_id is not None:
                users.add(cipher.user_id)
        else:
            by_org[cipher.organization_id].append(cipher)
    for organization_id, org_ciphers in by_org.items():
        # One read of the organization's facts serves all its items.
        collection_ids = {cid for cipher in org_ciphers for cid in cipher.collection_ids}
        facts = await work.store.organization_audience(organization_id, collection_ids)
        for cipher in org_ciphers:
            users |= audience_of(facts, cipher.collection_ids)
    return users


async def views_of(work: VaultWork, caller: CallerFacts, cipher_ids: Sequence[uuid.UUID]) -> list[CipherView]:
    """The ciphers as the caller now sees them, read back from the store (the database normalizes the opaque JSON
    parts, and responses show them as stored); those they no longer see are left out."""
    found = await work.store.ciphers(cipher_ids)
    prefs = await work.store.prefs(caller.user_id, cipher_ids)
    views = []
    for cipher in found:
        access = cipher.access_of(caller)
        if access is not None:
            views.append(CipherView(cipher, access, prefs.get(cipher.id, NO_PREFS)))
    return views


async def view_of(work: VaultWork, caller: CallerFacts, cipher_id: uuid.UUID) -> CipherView:
    """As `views_of`, for one cipher the caller must see (404 otherwise)."""
    views = await views_of(work, caller, [cipher_id])
    if not views:
        raise CipherNotFound()
    return views[0]
