"""The provider's part of a sync is written from templates (a measured hot path: 10,000 clients); it must say
exactly what `profile_provider_organization` says, for every kind of client."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from mspvault.provider.adapters.queries import MyClient, MyProvider
from mspvault.provider.domain.enums import ProviderStatus, ProviderType, ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import ProviderUser
from mspvault.provider.entrypoints.http.responses import (
    ProfileProviderOrganizationResponse,
    ProfileProviderResponse,
    ProviderSyncResponse,
    profile_provider,
    profile_provider_organization,
    provider_sync_json,
)

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def mine(name: str, *, enabled: bool = True) -> MyProvider:
    provider = Provider(uuid.uuid4(), name, ProviderType.MSP, ProviderStatus.CREATED, NOW, NOW, enabled=enabled)
    member = ProviderUser(
        uuid.uuid4(),
        provider.id,
        "bob@acme.test",
        ProviderUserType.SERVICE_USER,
        ProviderUserStatus.CONFIRMED,
        NOW,
        NOW,
        user_id=uuid.uuid4(),
        key="4.wrapped",
    )
    return MyProvider(member, provider)


def row(item: MyProvider, name: str, **values: object) -> SimpleNamespace:
    fields: dict[str, object] = {
        "provider_id": item.provider.id,
        "organization_id_text": str(uuid.uuid4()),
        "organization_name": name,
        "key": "2.iv|ct|mac",
        "seats": 10,
        "plan_type": 19,
        "access_to_items": True,
        "org_enabled": True,
    }
    return SimpleNamespace(**(fields | values))


def test_every_kind_of_client_is_written_as_profile_provider_organization_says() -> None:
    acme, old = mine("Acme MSP"), mine('Old "MSP" \\ Ünï', enabled=False)
    rows = [
        row(acme, "Contoso"),
        row(acme, 'Fabrikam "quoted" \\ \u2028 \x01', plan_type=17, key=None, seats=0),
        row(acme, "Disabled", org_enabled=False, access_to_items=False),
        row(old, "Legacy", plan_type=3),
        row(acme, "Contoso twin"),
    ]
    written = json.loads(provider_sync_json([acme, old], cast(Any, rows)))  # rows stand in for SQL rows
    by_provider = {acme.provider.id: acme, old.provider.id: old}
    expected = [
        profile_provider_organization(
            by_provider[r.provider_id],
            MyClient(
                r.organization_id_text,
                r.organization_name,
                r.key,
                r.seats,
                r.plan_type,
                r.org_enabled,
                r.access_to_items,
            ),
        )
        for r in rows
    ]
    assert written == {"providers": [profile_provider(acme), profile_provider(old)], "providerOrganizations": expected}


def test_no_provider_no_clients() -> None:
    assert json.loads(provider_sync_json([], [])) == {"providers": [], "providerOrganizations": []}


def test_what_is_written_is_what_the_models_document() -> None:
    """The OpenAPI document (and the gateway's `/api/sync`, which refers to these models) says what is sent."""
    acme = mine("Acme MSP")
    rows = [row(acme, "Contoso"), row(acme, "Keyless", key=None, plan_type=3, access_to_items=False)]
    written = json.loads(provider_sync_json([acme], rows))  # type: ignore[arg-type]  # rows stand in for Row
    assert ProviderSyncResponse.model_validate(written).model_dump(mode="json") == written
    for model, items in (
        (ProfileProviderResponse, written["providers"]),
        (ProfileProviderOrganizationResponse, written["providerOrganizations"]),
    ):
        documented = {field.alias or name for name, field in model.model_fields.items()}
        assert [set(item) for item in items] == [documented] * len(items)
