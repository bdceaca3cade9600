"""The gateway's organization import and export routes, against stub services: what each step sends where."""

from __future__ import annotations

import json
import uuid

from tests.integration.gateway.conftest import GatewayUnderTest


async def test_an_import_without_collections_to_create_is_one_call_to_the_vault(gateway: GatewayUnderTest) -> None:
    organization_id = uuid.uuid4()
    body = {"ciphers": [{"type": 2, "name": "x"}], "collections": [], "collectionRelationships": []}
    response = await gateway.client.post(
        f"/api/ciphers/import-organization?organizationId={organization_id}", json=body, headers=gateway.auth()
    )
    assert response.status_code == 200
    [sent] = [seen for seen in gateway.stubs["vault"].seen if seen["path"] == "/internal/ciphers/import-organization"]
    assert sent["query"] == f"organizationId={organization_id}"  # no check step: nothing would be created
    assert json.loads(sent["body"])["ciphers"] == body["ciphers"]
    assert sent["headers"]["authorization"] == gateway.auth()["Authorization"]  # as the caller
    assert not [seen for seen in gateway.stubs["organization"].seen if "collections" in seen["path"]]


async def test_a_body_that_is_not_json_is_refused_before_any_service(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post(
        f"/api/ciphers/import-organization?organizationId={uuid.uuid4()}",
        content=b"{not json",
        headers=gateway.auth(**{"Content-Type": "application/json"}),
    )
    assert response.status_code == 400
    assert response.json()["object"] == "error"
    assert not gateway.stubs["vault"].seen


async def test_the_export_composes_the_vault_items_and_the_organization_collections(gateway: GatewayUnderTest) -> None:
    organization_id = uuid.uuid4()
    response = await gateway.client.get(f"/api/organizations/{organization_id}/export", headers=gateway.auth())
    assert response.status_code == 200
    assert response.json() == {"collections": [], "ciphers": [], "object": "organizationExport"}
    vault = gateway.stubs["vault"].seen[-1]
    assert (vault["path"], vault["query"]) == ("/api/ciphers/organization-details", f"organizationId={organization_id}")
    assert gateway.stubs["organization"].seen[-1]["path"] == f"/api/organizations/{organization_id}/collections"
