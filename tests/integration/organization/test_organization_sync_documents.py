"""The sync part's collections are written by PostgreSQL (`queries.sync_documents`, a provider user may reach
10,000); each must say exactly what `collection_details_json` says of the same collection as `queries.sync` finds
it, for every way a caller reaches one, and no one else's."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import insert

from mspvault.gateway.parts import RawOrganizationPart
from mspvault.organization.adapters import queries
from mspvault.organization.adapters.orm import collection_users, collections, members, organizations, provider_users
from mspvault.organization.domain.access import Grant
from mspvault.organization.entrypoints.http.responses import collection_details_json, rights_json, sync_json
from tests.integration.organization.org_scenarios import organization_row, sym

pytestmark = pytest.mark.integration

# Names a JSON writer must escape: quotes, backslashes, control characters, and text beyond ASCII.
AWKWARD = ['2.q"uo\\te|x|y', "2.tab\tnew\nline\x01|x|y", "2.Ünï \u2028 ✓|x|y"]


async def test_each_collection_is_written_as_the_view_of_it_says(org_http) -> None:
    bob = org_http.user("bob")
    provider, other_provider = uuid.uuid4(), uuid.uuid4()
    client, owned, custom, granted, stranger, other_client = (
        organization_row(provider),
        organization_row(),
        organization_row(),
        organization_row(),
        organization_row(),
        organization_row(other_provider),
    )
    orgs = [client, owned, custom, granted, stranger, other_client]
    rows = [
        {"id": uuid.uuid4(), "organization_id": org["id"], "name": name, "external_id": external}
        for org in orgs
        for name, external in ((AWKWARD[0], None), (AWKWARD[1], AWKWARD[2]), (sym(), "ext-1"))
    ]

    def membership(org: dict[str, object], kind: int, permissions: dict[str, bool] | None = None) -> dict[str, object]:
        return {
            "id": uuid.uuid4(),
            "organization_id": org["id"],
            "user_id": bob.id,
            "email": bob.email,
            "type": kind,
            "status": 2,
            "key": sym(),
            "permissions": permissions,
        }

    # Owner of one; Custom with an any-collection right in one; User with one grant in another.
    memberships = [membership(owned, 0), membership(custom, 4, {"editAnyCollection": True}), membership(granted, 2)]
    in_granted = [row for row in rows if row["organization_id"] == granted["id"]]
    async with org_http.app.state.runtime.engine.begin() as conn:
        await conn.execute(insert(organizations), orgs)
        await conn.execute(insert(collections), rows)
        await conn.execute(insert(members), memberships)
        await conn.execute(
            insert(collection_users),
            [
                {
                    "collection_id": in_granted[0]["id"],
                    "member_id": memberships[2]["id"],
                    "read_only": True,
                    "hide_passwords": True,
                }
            ],
        )
        await conn.execute(
            insert(provider_users),
            [{"id": uuid.uuid4(), "provider_id": provider, "user_id": bob.id, "type": 1, "status": 2}],
        )

    async with org_http.app.state.runtime.session_factory() as session:
        views = (await queries.sync(session, bob.id)).collections
        documents = await queries.sync_documents(session, bob.id, rights_json)

    reached = {client["id"], owned["id"], custom["id"]}
    assert {view.organization_id for view in views} == reached | {granted["id"]}
    expected_ids = [row["id"] for row in rows if row["organization_id"] in reached or row is in_granted[0]]
    assert [view.id for view in views] == sorted(expected_ids, key=str)
    # Each collection as its view says, member for member and in order, the caller's rights included (full through
    # the provider and as Owner, none beyond the any-collection right, their own grant's flags).
    assert [view.grant for view in views if view.organization_id == granted["id"]] == [
        Grant(read_only=True, hide_passwords=True, manage=False)
    ]
    body = sync_json(documents.memberships, documents.collections, documents.policies)
    part = json.loads(body)
    assert [list(c.items()) for c in part["collections"]] == [list(collection_details_json(v).items()) for v in views]
    # In the layout whose collections the gateway passes through as bytes, awkward names and all.
    raw = RawOrganizationPart.of(body)
    assert raw is not None
    assert raw.parsed() == part


async def test_a_revoked_provider_user_reaches_no_client_collection(org_http) -> None:
    carol = org_http.user("carol")
    provider = uuid.uuid4()
    client = organization_row(provider)
    async with org_http.app.state.runtime.engine.begin() as conn:
        await conn.execute(insert(organizations), [client])
        await conn.execute(insert(collections), [{"id": uuid.uuid4(), "organization_id": client["id"], "name": sym()}])
        await conn.execute(
            insert(provider_users),
            [
                {
                    "id": uuid.uuid4(),
                    "provider_id": provider,
                    "user_id": carol.id,
                    "type": 1,
                    "status": 2,
                    "revoked": True,
                }
            ],
        )
    response = await org_http.http.get("/internal/sync", headers=carol.auth)
    assert response.status_code == 200
    assert response.json()["collections"] == []
