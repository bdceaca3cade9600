"""The provider's part of a sync is each kind of client's text once and the clients as compact rows written by
PostgreSQL (a measured hot path: 10,000 clients); the items the gateway writes from them must say exactly what
`profile_provider_organization` says, for every kind of client, in order, and list no other provider's clients."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert

from mspvault.gateway.parts import RawProviderPart
from mspvault.provider.adapters import queries
from mspvault.provider.adapters.orm import organizations, provider_organizations
from mspvault.provider.entrypoints.http.responses import (
    ProfileProviderOrganizationResponse,
    ProviderSyncResponse,
    profile_provider,
    profile_provider_organization,
)
from tests.integration.provider.provider_flows import SERVICE, add_member, link_row, set_up_provider

pytestmark = pytest.mark.integration


async def test_every_kind_of_client_is_written_as_profile_provider_organization_says(provider_service):
    h = provider_service
    acme, globex = await set_up_provider(h), await set_up_provider(h, "Globex IT")
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    kinds = [  # name, key, seats, plan, provider reaches items, organization enabled
        ('Fabrikam "quoted" \\ \u2028 \x01 Ünï', None, 0, 17, True, True),
        ("Contoso", "2.iv|ct|mac", 10, 19, True, True),
        ("Disabled", "2.iv|ct|mac", 5, 20, False, False),
        ("Teams off", "2.a|b|c", 3, 17, False, True),
        ("Contoso", "2.twin|ct|mac", 7, 19, True, False),
    ]
    links = [
        link_row(provider.id, name, key=key, seats=seats, plan_type=plan, settings={"providerAccessToItems": access})
        for provider in (acme, globex)
        for name, key, seats, plan, access, _ in kinds
    ]
    enabled = {link["organization_id"]: kind[5] for link, kind in zip(links, kinds * 2, strict=True)}
    async with h.runtime.session_factory() as session:
        await session.execute(insert(provider_organizations), links)
        await session.execute(
            insert(organizations),
            [
                {"id": org, "name": "x", "provider_id": None, "plan_type": 19, "enabled": on}
                for org, on in enabled.items()
            ],
        )
        await session.commit()

    synced = await h.call("GET", "/internal/sync", bob)
    assert synced.status_code == 200
    answer = json.loads(synced.content)
    assert len(answer["clients"]) == len(kinds)
    written = RawProviderPart.of(answer).parsed()
    async with h.runtime.session_factory() as session:
        mine = await queries.my_providers(session, bob.id)
    ours = sorted(
        (link for link in links if str(link["provider_id"]) == acme.id),
        key=lambda link: (link["organization_name"], link["id"]),
    )
    expected = [
        profile_provider_organization(
            mine[0],
            queries.MyClient(
                str(link["organization_id"]),
                str(link["organization_name"]),
                link["key"],
                link["seats"],
                link["plan_type"],
                enabled[link["organization_id"]],
                bool(link["settings"]["providerAccessToItems"]),
            ),
        )
        for link in ours
    ]
    assert written == {"providers": [profile_provider(mine[0])], "providerOrganizations": expected}
    assert [list(item) for item in written["providerOrganizations"]] == [list(item) for item in expected]
    # What is sent and what is written are what the models document (the OpenAPI document the gateway's answers
    # refer to).
    assert ProviderSyncResponse.model_validate(answer).model_dump(mode="json") == answer
    documented = {field.alias or name for name, field in ProfileProviderOrganizationResponse.model_fields.items()}
    for item in written["providerOrganizations"]:
        assert set(item) == documented
        assert ProfileProviderOrganizationResponse.model_validate(item).model_dump(mode="json") == item


async def test_no_provider_no_clients(provider_service):
    h = provider_service
    await set_up_provider(h)
    stranger = await h.new_user("stranger")
    synced = await h.call("GET", "/internal/sync", stranger)
    assert synced.status_code == 200
    assert json.loads(synced.content) == {"providers": [], "clientKinds": [], "clients": []}
