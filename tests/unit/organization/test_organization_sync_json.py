"""The organization's sync part writes its collections without pydantic (10,000 for a provider user); it must say
exactly what the route's models say, member for member and in order. PostgreSQL writes the collections, each closed
with `rights_json` (`queries.sync_documents`; tests/integration/organization/test_organization_sync_documents.py
holds them to `collection_details_json`)."""

from __future__ import annotations

import json
import uuid

import pytest

from mspvault.organization.adapters.queries import CollectionView, PolicyView
from mspvault.organization.domain.access import Grant
from mspvault.organization.entrypoints.http.responses import (
    CollectionDetailsResponse,
    PolicyResponse,
    SyncResponse,
    collection_details_json,
    rights_json,
    sync_json,
)


def view(grant: Grant | None, external_id: str | None = None) -> CollectionView:
    return CollectionView(uuid.uuid4(), uuid.uuid4(), '2.n"a\\me|x|y', external_id, grant, assigned=grant is not None)


VIEWS = [
    view(None),
    view(Grant(read_only=True, hide_passwords=True, manage=False), external_id="ext-1"),
    view(Grant(read_only=False, hide_passwords=False, manage=True)),
]


@pytest.mark.parametrize("collection", VIEWS)
def test_a_collection_is_written_as_its_model_dumps_it(collection: CollectionView) -> None:
    written = collection_details_json(collection)
    dumped = CollectionDetailsResponse.of(collection).model_dump(mode="json")
    assert list(written.items()) == list(dumped.items())


def test_the_sync_part_is_the_models_json() -> None:
    policies = [PolicyView(uuid.uuid4(), uuid.uuid4(), 1, True, {"minComplexity": 2})]
    expected = SyncResponse(
        organizations=[],
        collections=[CollectionDetailsResponse.of(v) for v in VIEWS],
        policies=[PolicyResponse.of(p) for p in policies],
    ).model_dump_json()
    assert json.loads(sync_json([], written(VIEWS), policies)) == json.loads(expected)
    assert json.loads(sync_json([], "", [])) == {"organizations": [], "policies": [], "collections": []}


def written(views: list[CollectionView]) -> str:
    """What PostgreSQL writes of the collections: each one's members before the caller's rights, then those."""
    items = []
    for view in views:
        members = collection_details_json(view)
        before_rights = {k: v for k, v in members.items() if k not in ("readOnly", "hidePasswords", "manage")}
        items.append(json.dumps(before_rights, separators=(",", ":"))[:-1] + "," + rights_json(view.grant or Grant()))
    return ",".join(items)


def test_the_rights_close_each_collection_in_the_models_order() -> None:
    collections = json.loads(sync_json([], written(VIEWS), []))["collections"]
    assert [list(c.items()) for c in collections] == [
        list(CollectionDetailsResponse.of(v).model_dump(mode="json").items()) for v in VIEWS
    ]
