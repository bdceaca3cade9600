"""Multi-step flows the provider tests share: an operator opens a provider, its admin sets it up, members join."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mspvault.gateway.parts import RawProviderPart
from mspvault.shared.contracts.organization import MemberConfirmedV1, OrganizationCreatedV1
from mspvault.shared.contracts.topics import events_topic
from tests.integration.provider.provider_harness import SYM, ProviderHarness, User

ADMIN, SERVICE = 0, 1


@dataclass
class SetUpProvider:
    id: str
    admin: User
    provider_key: bytes = field(repr=False)

    def base(self) -> str:
        return f"/api/providers/{self.id}"


async def open_provider(h: ProviderHarness, owner: User, name: str = "Acme MSP") -> str:
    response = await h.call(
        "POST", "/api/admin/providers", h.operator(), json={"name": name, "type": 0, "ownerEmail": owner.email}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


async def set_up_provider(h: ProviderHarness, name: str = "Acme MSP") -> SetUpProvider:
    """Operator opens the provider; the invited admin accepts (token from the mail) and runs setup."""
    admin = await h.new_user("alice")
    provider_id = await open_provider(h, admin, name)
    invite = await h.mail.invite_for(admin.email)
    accepted = await h.call(
        "POST",
        f"/api/providers/{provider_id}/users/{invite.provider_user_id}/accept",
        admin,
        json={"token": invite.token},
    )
    assert accepted.status_code == 200, accepted.text
    provider_key = os.urandom(64)
    setup = await h.call(
        "POST",
        f"/api/providers/{provider_id}/setup",
        admin,
        json={"name": name, "billingEmail": admin.email, "key": admin.wrap(provider_key)},
    )
    assert setup.status_code == 200, setup.text
    return SetUpProvider(provider_id, admin, provider_key)


async def invite_and_accept(h: ProviderHarness, provider: SetUpProvider, prefix: str, type: int) -> tuple[User, str]:
    user = await h.new_user(prefix)
    invited = await h.call(
        "POST", f"{provider.base()}/users/invite", provider.admin, json={"emails": [user.email], "type": type}
    )
    assert invited.status_code == 200, invited.text
    invite = await h.mail.invite_for(user.email)
    accepted = await h.call(
        "POST", f"{provider.base()}/users/{invite.provider_user_id}/accept", user, json={"token": invite.token}
    )
    assert accepted.status_code == 200, accepted.text
    return user, invite.provider_user_id


async def add_member(h: ProviderHarness, provider: SetUpProvider, prefix: str, type: int) -> tuple[User, str]:
    """Invite, accept and confirm a provider user (the admin wraps the provider key to their public key)."""
    user, provider_user_id = await invite_and_accept(h, provider, prefix, type)
    confirmed = await h.call(
        "POST",
        f"{provider.base()}/users/{provider_user_id}/confirm",
        provider.admin,
        json={"key": user.wrap(provider.provider_key)},
    )
    assert confirmed.status_code == 200, confirmed.text
    return user, provider_user_id


def client_body(name: str = "Contoso", owner_email: str | None = None, plan_type: int = 19) -> dict[str, object]:
    return {
        "name": name,
        "ownerEmail": owner_email or f"owner-{uuid.uuid4().hex[:6]}@contoso.test",
        "planType": plan_type,
        "seats": 10,
        "key": SYM,
        "keyPair": {"publicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "encryptedPrivateKey": SYM},
        "collectionName": SYM,
    }


async def create_client(
    h: ProviderHarness, provider: SetUpProvider, user: User, name: str = "Contoso"
) -> dict[str, Any]:
    response = await h.call("POST", f"{provider.base()}/clients", user, json=client_body(name))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def give_confirmed_owner(h: ProviderHarness, organization_id: str, owner: User | None = None) -> None:
    """What the organization service would publish once the client's owner is confirmed."""
    await h.apply(
        events_topic("organization"),
        MemberConfirmedV1(
            organization_id=uuid.UUID(organization_id),
            member_id=uuid.uuid4(),
            user_id=owner.id if owner else uuid.uuid4(),
            email=owner.email if owner else "owner@contoso.test",
            type=0,
            status=2,
        ),
    )


async def own_organization(h: ProviderHarness, owner: User, name: str = "Fabrikam") -> uuid.UUID:
    """An ordinary organization the user created and owns, as the organization service announces it."""
    organization_id = uuid.uuid4()
    await h.apply(
        events_topic("organization"),
        OrganizationCreatedV1(organization_id=organization_id, name=name, plan_type=20, seats=5),
    )
    await give_confirmed_owner(h, str(organization_id), owner)
    return organization_id


def link_row(provider_id: str, name: str, **values: Any) -> dict[str, Any]:
    """A `provider_organizations` row for tests that write the table directly (thousands of clients at once)."""
    now = datetime.now(UTC)
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "provider_id": uuid.UUID(provider_id),
        "organization_id": uuid.uuid4(),
        "key": SYM,
        "settings": {"providerAccessToItems": True},
        "seats": 10,
        "plan_type": 19,
        "organization_name": name,
        "creation_date": now,
        "revision_date": now,
    }
    return row | values


async def synced(h: ProviderHarness, user: User) -> dict[str, Any]:
    """The caller's `/internal/sync` as the gateway reads it: the providers, and the client items it writes from
    the compact rows (`gateway/parts.py`)."""
    response = await h.call("GET", "/internal/sync", user)
    assert response.status_code == 200, response.text
    return dict(RawProviderPart.of(response.json()).parsed())
