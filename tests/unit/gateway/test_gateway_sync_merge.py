"""Composing `/api/sync` and the profile from the services' parts; choosing which upstream failure to report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mspvault.gateway.clients import UpstreamError
from mspvault.gateway.jsonbody import render
from mspvault.gateway.parts import (
    IdentityPart,
    MalformedPart,
    OrganizationPart,
    ProviderPart,
    RawOrganizationPart,
    RawProviderPart,
    RawVaultPart,
    VaultPart,
    empty_organization_part,
    empty_provider_part,
    empty_vault_part,
)
from mspvault.gateway.sync import merge_profile, merge_sync, profile_chunks, raise_worst, render_sync


def joined(chunks: list[bytes | memoryview]) -> bytes:
    return b"".join(chunks)


IDENTITY: IdentityPart = {
    "profile": {
        "id": "u1",
        "email": "a@example.test",
        "key": "2.a|b|c",
        "organizations": ["stale"],
        "object": "profile",
    },
    "userDecryption": {"masterPasswordUnlock": {"salt": "a@example.test"}, "userKeyId": "0" * 32},
}
PROVIDER: ProviderPart = {"providers": [{"id": "p1"}], "providerOrganizations": [{"id": "o2"}]}
ORGANIZATION: OrganizationPart = {
    "organizations": [{"id": "o1"}],
    "collections": [{"id": "c1"}],
    "policies": [{"id": "po1"}],
}
VAULT: VaultPart = {"folders": [{"id": "f1"}], "ciphers": [{"id": "x1"}, {"id": "x2"}]}
RAW_ORGANIZATION = RawOrganizationPart.of_parsed(ORGANIZATION)

# The provider's answer as its writer renders it: each kind of client's item text cut at the client's own values,
# and the clients as compact rows [kind, organization id, name, key, seats].
TAIL = ',"isMember":false,"object":"profileProviderOrganization"}'
KINDS = [
    ['{"id":', ',"name":', ',"key":', ',"seats":', ',"plan":"teams"' + TAIL],
    ['{"id":', ',"name":', ',"key":', ',"seats":', ',"plan":"Ünï \\"enterprise\\""' + TAIL],
]
CLIENT_IDS = ("0b7c6c1e-4b71-4a43-9a2c-6c0e9d1f0a01", "0b7c6c1e-4b71-4a43-9a2c-6c0e9d1f0a02")
AWKWARD_NAME = 'Fabrikam "quoted" \\ \u2028 \x01 Ünï ,"isMember":false,"object":"x"}'


def provider_answer(*ids: str) -> dict[str, Any]:
    clients = [[n % 2, org_id, f"{AWKWARD_NAME} {n}", None if n else "2.k|q|r", n] for n, org_id in enumerate(ids)]
    return {"providers": [{"id": "p1"}], "clientKinds": KINDS, "clients": clients}


def expected_items(*ids: str) -> list[dict[str, Any]]:
    """What `provider_answer` says each client is, written out by hand."""
    plans = ["teams", 'Ünï "enterprise"']
    return [
        {"id": org_id, "name": f"{AWKWARD_NAME} {n}", "key": None if n else "2.k|q|r", "seats": n, "plan": plans[n % 2]}
        | {"isMember": False, "object": "profileProviderOrganization"}
        for n, org_id in enumerate(ids)
    ]


RAW_PROVIDER = RawProviderPart.of(provider_answer(*CLIENT_IDS))


def test_sync_puts_every_part_where_bitwarden_clients_read_it() -> None:
    sync = merge_sync(IDENTITY, PROVIDER, ORGANIZATION, VAULT, exclude_domains=True)
    assert list(sync) == [
        "profile",
        "folders",
        "collections",
        "ciphers",
        "policies",
        "sends",
        "domains",
        "userDecryption",
        "object",
    ]
    # the organization service's memberships (not identity's), then the provider's clients
    assert sync["profile"]["organizations"] == [
        {"id": "o1"},
        {"id": "o2", "object": "profileOrganization", "isMember": True},
    ]
    assert sync["profile"]["providers"] == [{"id": "p1"}]
    assert sync["profile"]["providerOrganizations"] == [{"id": "o2"}]
    assert sync["profile"]["key"] == "2.a|b|c"
    assert sync["folders"] == [{"id": "f1"}]
    assert sync["collections"] == [{"id": "c1"}]
    assert sync["ciphers"] == [{"id": "x1"}, {"id": "x2"}]
    assert sync["policies"] == [{"id": "po1"}]
    assert sync["sends"] == []
    assert sync["domains"] is None
    assert sync["userDecryption"]["userKeyId"] == "0" * 32
    assert sync["object"] == "sync"


def test_domains_are_sent_unless_excluded() -> None:
    sync = merge_sync(IDENTITY, PROVIDER, ORGANIZATION, VAULT, exclude_domains=False)
    assert sync["domains"] == {"equivalentDomains": [], "globalEquivalentDomains": [], "object": "domains"}


def test_missing_parts_compose_to_empty_lists() -> None:
    sync = merge_sync(
        IDENTITY, empty_provider_part(), empty_organization_part(), empty_vault_part(), exclude_domains=True
    )
    assert sync["profile"]["organizations"] == sync["profile"]["providers"] == []
    assert sync["folders"] == sync["ciphers"] == sync["collections"] == sync["policies"] == []


def test_profile_merge_does_not_touch_identitys_part() -> None:
    profile = merge_profile(IDENTITY["profile"], PROVIDER, ORGANIZATION)
    assert [org["id"] for org in profile["organizations"]] == ["o1", "o2"]
    assert profile["object"] == "profile"
    assert IDENTITY["profile"]["organizations"] == ["stale"]


def test_a_refused_token_is_reported_before_an_outage() -> None:
    with pytest.raises(UpstreamError) as caught:
        raise_worst({"ok": 1}, UpstreamError(502, "down"), UpstreamError(401, "token"))
    assert caught.value.status == 401


def test_the_worst_upstream_status_is_reported() -> None:
    with pytest.raises(UpstreamError) as caught:
        raise_worst(UpstreamError(502, "down"), UpstreamError(504, "slow"), None)
    assert caught.value.status == 504


def test_an_unexpected_error_is_not_hidden() -> None:
    with pytest.raises(RuntimeError):
        raise_worst(UpstreamError(502, "down"), RuntimeError("bug"))
    raise_worst({"ok": 1}, None, 3)  # nothing failed: nothing raised


@pytest.mark.parametrize("exclude_domains", [True, False])
def test_the_rendered_sync_splices_the_vault_part_verbatim(exclude_domains: bool) -> None:
    raw = RawVaultPart(b' {"folders": [{"id": "f1"}],\n "ciphers": [{"id": "x1"}, {"id": "x2"}]} ')
    rendered = joined(render_sync(IDENTITY, RAW_PROVIDER, RAW_ORGANIZATION, raw, exclude_domains=exclude_domains))
    assert b'"ciphers": [{"id": "x1"}, {"id": "x2"}]' in rendered  # the vault's bytes, not re-encoded
    provider = RAW_PROVIDER.parsed()
    assert json.loads(rendered) == merge_sync(IDENTITY, provider, ORGANIZATION, VAULT, exclude_domains=exclude_domains)


def test_an_empty_vault_part_still_renders_both_lists() -> None:
    rendered = json.loads(
        joined(render_sync(IDENTITY, RAW_PROVIDER, RAW_ORGANIZATION, RawVaultPart(b"{}"), exclude_domains=True))
    )
    assert rendered["folders"] == rendered["ciphers"] == []
    assert rendered["object"] == "sync"


def test_a_client_org_the_provider_user_is_also_a_member_of_is_listed_once() -> None:
    provider: ProviderPart = {"providers": [], "providerOrganizations": [{"id": "o1", "key": "2.p|q|r"}]}
    profile = merge_profile(IDENTITY["profile"], provider, ORGANIZATION)
    assert profile["organizations"] == [{"id": "o1"}]
    assert profile["providerOrganizations"] == [{"id": "o1", "key": "2.p|q|r"}]


# The gateway writes the provider's items from the rows: always the same bytes as the parsed merge renders.
@pytest.mark.parametrize("ids", [CLIENT_IDS, CLIENT_IDS[:1], ()])
def test_a_provider_part_is_written_as_its_parsed_merge_renders(ids: tuple[str, ...]) -> None:
    raw = RawProviderPart.of(provider_answer(*ids))
    parsed = raw.parsed()
    assert parsed == {"providers": [{"id": "p1"}], "providerOrganizations": expected_items(*ids)}
    for organization in (ORGANIZATION, empty_organization_part()):
        assert joined(profile_chunks(IDENTITY["profile"], raw, organization)) == render(
            merge_profile(IDENTITY["profile"], parsed, organization)
        )
    vault = RawVaultPart(b'{"folders":[],"ciphers":[{"id":"x1"}]}')
    vault_part: VaultPart = {"folders": [], "ciphers": [{"id": "x1"}]}
    assert json.loads(joined(render_sync(IDENTITY, raw, RAW_ORGANIZATION, vault, exclude_domains=True))) == merge_sync(
        IDENTITY, parsed, ORGANIZATION, vault_part, exclude_domains=True
    )


@pytest.mark.parametrize("others", [0, 100])  # a member of a few organizations, and of many
def test_a_client_the_caller_is_a_member_of_is_listed_once_as_that_membership(others: int) -> None:
    elsewhere = [{"id": f"0b7c6c1e-4b71-4a43-9a2c-{n:012d}"} for n in range(others)]
    member: OrganizationPart = {**ORGANIZATION, "organizations": [*elsewhere, {"id": CLIENT_IDS[1], "key": "4.own"}]}
    rendered = joined(profile_chunks(IDENTITY["profile"], RAW_PROVIDER, member))
    assert rendered == render(merge_profile(IDENTITY["profile"], RAW_PROVIDER.parsed(), member))
    profile = json.loads(rendered)
    assert [(org["id"], org.get("key"), org.get("object")) for org in profile["organizations"][others:]] == [
        (CLIENT_IDS[1], "4.own", None),  # the membership, once
        (CLIENT_IDS[0], "2.k|q|r", "profileOrganization"),
    ]
    assert [org["id"] for org in profile["providerOrganizations"]] == list(CLIENT_IDS)


def malformed(**changes: Any) -> dict[str, Any]:
    return provider_answer(*CLIENT_IDS) | changes


@pytest.mark.parametrize(
    "answer",
    [
        [],
        {"providers": [], "providerOrganizations": []},  # the layout before the rows
        malformed(clients=[[0, CLIENT_IDS[0], "n", None]]),  # a value missing
        malformed(clients=[[2, CLIENT_IDS[0], "n", None, 1]]),  # no such kind
        malformed(clients=[[-1, CLIENT_IDS[0], "n", None, 1]]),
        malformed(clients=[[0, 7, "n", None, 1]]),
        malformed(clients=[[0, CLIENT_IDS[0], {"n": 1}, None, 1]]),
        malformed(clients=[[0, CLIENT_IDS[0], "n", 3, 1]]),
        malformed(clients=[[0, CLIENT_IDS[0], "n", None, "1"]]),
        malformed(clientKinds=[KINDS[0][:4]]),
        malformed(clientKinds=[[*KINDS[0][:4], '"isMember":true}'], KINDS[1]]),  # no tail to write either list with
    ],
)
def test_a_provider_answer_in_another_form_is_refused(answer: object) -> None:
    with pytest.raises(MalformedPart):
        RawProviderPart.of(answer)


# The organization's part as its writer renders it (compact, collections last): the collections pass through as
# bytes, and the answer is the same JSON as the parsed merge.
def organization_body(part: OrganizationPart) -> bytes:
    ordered = {"organizations": part["organizations"], "policies": part["policies"]}
    return json.dumps(ordered | {"collections": part["collections"]}, separators=(",", ":")).encode()


AWKWARD_COLLECTION = {"id": "c2", "name": '2.]},"collections":[|x', "object": "collectionDetails"}


@pytest.mark.parametrize(
    "part",
    [
        ORGANIZATION,
        {**ORGANIZATION, "collections": [{"id": "c1"}, AWKWARD_COLLECTION]},
        # A policy's data may hold anything, the marker's key included.
        {**ORGANIZATION, "policies": [{"id": "po1", "data": {"collections": ["c1"]}}]},
        empty_organization_part(),
    ],
)
def test_a_raw_organization_part_passes_its_collections_through(part: OrganizationPart) -> None:
    body = organization_body(part)
    raw = RawOrganizationPart.of(body)
    assert raw is not None
    assert raw.parsed() == part
    collections = json.dumps(part["collections"], separators=(",", ":")).encode()
    assert raw.collections == collections[1:-1]  # the service's bytes, not re-encoded
    vault = RawVaultPart(render(VAULT))
    rendered = joined(render_sync(IDENTITY, RAW_PROVIDER, raw, vault, exclude_domains=False))
    assert b'"collections":' + collections in rendered
    provider = RAW_PROVIDER.parsed()
    assert json.loads(rendered) == merge_sync(IDENTITY, provider, part, VAULT, exclude_domains=False)


@pytest.mark.parametrize(
    "body",
    [
        b'{"organizations":[],"collections":[],"policies":[]}',  # the collections not last
        b'{"organizations":[],"policies":[],"extra":1,"collections":[]}',  # another member
        b'{"organizations":[], "policies":[], "collections": []}',  # not compact
        # The marker inside a policy's data, and no collections: the head up to it does not parse.
        b'{"organizations":[],"policies":[{"data":{"x":1,"collections":[]}}]}',
    ],
)
def test_an_organization_part_in_another_layout_is_parsed(body: bytes) -> None:
    assert RawOrganizationPart.of(body) is None
