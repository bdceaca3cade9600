"""The organization's sync part writes its collections without pydantic (10,000 for a provider user); it must say
exactly what the route's models say, member for member and in order. PostgreSQL writes each collection's members
up to the caller's rights (`queries.sync_documents`; tests/integration/organization/test_organization_sync_documents.py
holds those to `collection_details_json`), the rights are written here."""

from __future__ import annotations

import json
import uuid

import pytest

from mspvault.organization.adapters.queries import CollectionDocument, CollectionView, PolicyView
from mspvault.organization.domain.access import Grant
from mspvault.organization.entrypoints.http.responses import (
    CollectionDetailsResponse,
    PolicyResponse,
    SyncResponse,
    collection_details_json,
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
    assert json.loads(sync_json([], [document(v) for v in VIEWS], policies)) == json.loads(expected)


def document(view: CollectionView) -> CollectionDocument:
    """What PostgreSQL writes of a collection: its members before the caller's rights, and a trailing comma."""
    written = collection_details_json(view)
    before_rights = {key: value for key, value in written.items() if key not in ("readOnly", "hidePasswords", "manage")}
    return CollectionDocument(view.grant, json.dumps(before_rights, separators=(",", ":"))[:-1] + ",")


def test_the_rights_close_each_collection_in_the_models_order() -> None:
    written = json.loads(sync_json([], [document(v) for v in VIEWS], []))["collections"]
    assert [list(c.items()) for c in written] == [
        list(CollectionDetailsResponse.of(v).model_dump(mode="json").items()) for v in VIEWS
    ]
