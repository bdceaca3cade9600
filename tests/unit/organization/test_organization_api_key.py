"""The organization's API key over fakes: Owners only (404 for others), made on first view, rotated with a new
secret and stamp, each change published for identity (a digest, never the secret)."""

from __future__ import annotations

import hashlib

import pytest

from mspvault.organization.domain.api_key import UnsupportedApiKeyType
from mspvault.organization.domain.errors import OrganizationNotFound
from mspvault.organization.domain.roles import MemberType
from mspvault.organization.service_layer import api_keys
from mspvault.shared.contracts.organization import OrganizationApiKeyRotatedV1
from tests.unit.organization.fakes import world


async def test_owners_view_and_rotate_the_key_and_identity_hears_of_each() -> None:
    w = world()
    first = await api_keys.view(w.work(), w.owner, w.org.id, 0)
    assert len(first.client_secret) == 30
    assert (await api_keys.view(w.work(), w.owner, w.org.id, 0)).client_secret == first.client_secret
    [made] = w.uow.events(OrganizationApiKeyRotatedV1)
    assert made.client_secret_digest == hashlib.sha256(first.client_secret.encode()).hexdigest()
    assert made.key_stamp == first.stamp
    old_secret, old_stamp = first.client_secret, first.stamp

    rotated = await api_keys.rotate(w.work(), w.owner, w.org.id, 0)
    assert (rotated.client_secret, rotated.stamp) != (old_secret, old_stamp)
    assert w.uow.events(OrganizationApiKeyRotatedV1)[-1].key_stamp == rotated.stamp
    with pytest.raises(UnsupportedApiKeyType):
        await api_keys.view(w.work(), w.owner, w.org.id, 2)

    admin, _ = w.join("adam", MemberType.ADMIN)
    with pytest.raises(OrganizationNotFound):
        await api_keys.view(w.work(), admin, w.org.id, 0)
    with pytest.raises(OrganizationNotFound):
        await api_keys.rotate(w.work(), admin, w.org.id, 0)
