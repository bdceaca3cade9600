"""The organization's API key: shown to and rotated by its Owners (a provider user administering it included). The
master-password hash is checked by the gateway with identity before the request reaches us (this service cannot
check it: it holds no password)."""

from __future__ import annotations

import uuid

from mspvault.organization.domain.api_key import DEFAULT_KEY_TYPE, OrganizationApiKey, UnsupportedApiKeyType
from mspvault.organization.domain.errors import OrganizationNotFound
from mspvault.organization.service_layer.common import actor_of, publish_all, standing_in
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor


async def _owner(work: OrganizationWork, caller: Principal, org_id: uuid.UUID, key_type: int) -> Actor:
    _, standing = await standing_in(work.store, org_id, caller.user_id)
    if not standing.is_owner:
        raise OrganizationNotFound()  # Bitwarden answers NotFound to anyone but an Owner
    if key_type != DEFAULT_KEY_TYPE:
        raise UnsupportedApiKeyType()
    return actor_of(caller.user_id, standing)


async def view(work: OrganizationWork, caller: Principal, org_id: uuid.UUID, key_type: int) -> OrganizationApiKey:
    """The key, made on first view."""
    actor = await _owner(work, caller, org_id, key_type)
    key = await work.store.load_api_key(org_id)
    if key is None:
        key = OrganizationApiKey.issue(org_id, work.clock())
        await _save(work, key, actor)
    return key


async def rotate(work: OrganizationWork, caller: Principal, org_id: uuid.UUID, key_type: int) -> OrganizationApiKey:
    """A new secret and stamp: the old secret and every token made with it stop working with this commit."""
    actor = await _owner(work, caller, org_id, key_type)
    key = await work.store.load_api_key(org_id)
    if key is None:
        key = OrganizationApiKey.issue(org_id, work.clock())
    else:
        key.rotate(work.clock())
    await _save(work, key, actor)
    return key


async def _save(work: OrganizationWork, key: OrganizationApiKey, actor: Actor) -> None:
    await work.store.save_api_key(key)
    publish_all(work, key.events, actor)
    await work.uow.commit()
