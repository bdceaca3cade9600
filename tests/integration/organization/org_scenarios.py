"""Building blocks for organization scenarios: well-formed EncStrings, provider events, the client-org setup."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from mspvault.shared.contracts import provider as pvc
from mspvault.shared.contracts.identity import UserRegisteredV1
from mspvault.shared.testing import samples
from tests.integration.organization.org_harness import OrgService, User


def b64(n: int = 32) -> str:
    """`n` random bytes in base64 (a public key's stand-in: the server stores it, never parses it)."""
    return samples.b64(os.urandom(n))


sym = samples.enc_string  # a well-formed `2.iv|ct|mac` EncString
rsa = samples.rsa_enc_string  # a well-formed `4.` EncString


@dataclass
class Client:
    provider_id: uuid.UUID
    org_id: uuid.UUID
    owner_email: str
    provider_user: User
    provider_user_row: uuid.UUID


async def register(org: OrgService, user: User) -> None:
    await org.feed(
        UserRegisteredV1(user_id=user.id, email=user.email, name=user.email.split("@")[0], public_key=b64(294)),
        producer="identity",
    )


async def confirmed_provider_user(org: OrgService, provider_id: uuid.UUID, name: str = "bob") -> tuple[User, uuid.UUID]:
    user = org.user(name)
    await register(org, user)
    row = uuid.uuid4()
    await org.feed(
        pvc.ProviderUserConfirmedV1(
            provider_id=provider_id, provider_user_id=row, user_id=user.id, email=user.email, type=1
        )
    )
    return user, row


async def client_org(org: OrgService, *, seats: int = 10, collection: bool = True) -> Client:
    provider_id = uuid.uuid4()
    await org.feed(pvc.ProviderCreatedV1(provider_id=provider_id, name="Acme MSP", type=0, owner_email="a@acme.test"))
    bob, row = await confirmed_provider_user(org, provider_id)
    org_id = uuid.uuid4()
    owner_email = f"owner-{org_id.hex[:8]}@contoso.test"
    await org.feed(
        samples.client_org_created(
            provider_id,
            owner_email,
            organization_id=org_id,
            seats=seats,
            collection_name=sym() if collection else None,
        )
    )
    return Client(provider_id, org_id, owner_email, bob, row)


async def join(
    org: OrgService,
    admin: User,
    org_id: uuid.UUID | str,  # as the API answers it or as a UUID: it only goes into paths
    member_type: int = 2,
    name: str = "carol",
    collections: list[dict[str, Any]] | None = None,
    user: User | None = None,
) -> tuple[User, str]:
    """Invite a (new) user as `admin`, accept with the mailed token, confirm: returns the user and member id."""
    if user is None:
        user = org.user(name)
        await register(org, user)
    response = await org.http.post(
        f"/api/organizations/{org_id}/users/invite",
        headers=admin.auth,
        json={"emails": [user.email], "type": member_type, "collections": collections or []},
    )
    assert response.status_code == 200, response.text
    link = await org.invite_mail(user.email)
    member_id = link["organizationUserId"]
    accepted = await org.http.post(
        f"/api/organizations/{org_id}/users/{member_id}/accept", headers=user.auth, json={"token": link["token"]}
    )
    assert accepted.status_code == 200, accepted.text
    confirmed = await org.http.post(
        f"/api/organizations/{org_id}/users/{member_id}/confirm", headers=admin.auth, json={"key": rsa()}
    )
    assert confirmed.status_code == 200, confirmed.text
    return user, member_id


def organization_row(
    provider_id: uuid.UUID | None = None, name: str = "Org", org_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """An `organizations` row for tests that write the tables directly (many organizations at once)."""
    from mspvault.organization.domain.organization import DEFAULT_FEATURES

    return {
        "id": org_id or uuid.uuid4(),
        "name": name,
        "billing_email": "b@x.test",
        "plan_type": 20,
        "seats": 10,
        "provider_id": provider_id,
        "public_key": b64(),
        "encrypted_private_key": sym(),
        "features": DEFAULT_FEATURES,
    }
