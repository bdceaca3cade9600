"""Merging the services' OpenAPI documents into the gateway's one public document."""

from __future__ import annotations

from typing import Any

from mspvault.gateway.openapi import merge_openapi, service_schema


def _doc(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def _op(operation_id: str, ref: str | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": operation_id, "responses": {"200": {"description": "ok"}}}
    if ref:
        op["responses"]["200"]["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
    return op


def test_internal_and_operational_paths_are_dropped() -> None:
    vault = _doc(
        {
            "/api/ciphers": {"get": _op("list")},
            "/internal/sync": {"get": _op("sync")},
            "/internal/revision-date": {"get": _op("rev")},
            "/health": {"get": _op("health")},
            "/metrics": {"get": _op("metrics")},
        }
    )
    merged = merge_openapi(_doc({}), {"vault": vault}, title="T", version="9")
    assert list(merged["paths"]) == ["/api/ciphers"]
    assert merged["info"] == {"title": "T", "version": "9"}


def test_operations_are_tagged_and_ids_made_unique_per_service() -> None:
    merged = merge_openapi(
        _doc({}),
        {
            "identity": _doc({"/identity/connect/token": {"post": _op("token")}}),
            "vault": _doc({"/api/folders": {"post": _op("token")}}),
        },
        title="T",
        version="1",
    )
    token = merged["paths"]["/identity/connect/token"]["post"]
    folders = merged["paths"]["/api/folders"]["post"]
    assert token["tags"] == ["identity"]
    assert folders["tags"] == ["vault"]
    assert token["operationId"] != folders["operationId"]
    assert [tag["name"] for tag in merged["tags"]] == ["gateway", "identity", "vault"]


def test_the_gateway_answer_wins_over_a_service_on_the_same_path_and_method() -> None:
    gateway = _doc({"/api/accounts/profile": {"get": _op("composed_profile")}})
    identity = _doc({"/api/accounts/profile": {"get": _op("profile"), "put": _op("update_profile")}})
    merged = merge_openapi(gateway, {"identity": identity}, title="T", version="1")
    item = merged["paths"]["/api/accounts/profile"]
    assert item["get"]["operationId"] == "gateway_composed_profile"
    assert item["put"]["operationId"] == "identity_update_profile"


def test_identical_schemas_are_shared_and_conflicting_ones_renamed_with_their_refs() -> None:
    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    org = _doc(
        {"/api/organizations": {"post": _op("create", ref="Model")}},
        {"Model": {"type": "object", "properties": {"name": {"type": "string"}}}, "Error": error},
    )
    vault = _doc(
        {"/api/ciphers": {"post": _op("create", ref="Model")}},
        {"Model": {"type": "object", "properties": {"type": {"type": "integer"}}}, "Error": error},
    )
    merged = merge_openapi(_doc({}), {"organization": org, "vault": vault}, title="T", version="1")
    schemas = merged["components"]["schemas"]
    assert set(schemas) - {"ErrorResponseModel", "OAuthErrorResponse"} == {"Model", "Error", "vault_Model"}
    assert schemas["vault_Model"]["properties"] == {"type": {"type": "integer"}}
    ref = merged["paths"]["/api/ciphers"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref == {"$ref": "#/components/schemas/vault_Model"}
    org_ref = merged["paths"]["/api/organizations"]["post"]["responses"]["200"]["content"]["application/json"]
    assert org_ref["schema"] == {"$ref": "#/components/schemas/Model"}
    assert vault["components"]["schemas"]["Model"]["properties"] == {"type": {"type": "integer"}}  # input untouched


def test_a_gateway_reference_to_a_services_schema_follows_its_rename() -> None:
    """The composed answers name the items' owner: vault's `Model` was renamed, the gateway still points at it."""
    items = {"type": "array", "items": service_schema("vault", "Model")}
    gateway = _doc({"/api/sync": {"get": _op("sync", ref="Sync")}}, {"Sync": {"properties": {"ciphers": items}}})
    org = _doc({"/api/organizations": {"post": _op("create", ref="Model")}}, {"Model": {"properties": {}}})
    vault = _doc({"/api/ciphers": {"post": _op("create", ref="Model")}}, {"Model": {"type": "object"}})
    merged = merge_openapi(gateway, {"organization": org, "vault": vault}, title="T", version="1")
    ciphers = merged["components"]["schemas"]["Sync"]["properties"]["ciphers"]
    assert ciphers["items"] == {"$ref": "#/components/schemas/vault_Model"}
    assert merged["components"]["schemas"]["vault_Model"] == {"type": "object"}


def test_a_service_whose_document_is_missing_is_named() -> None:
    merged = merge_openapi(_doc({}), {"identity": None, "vault": _doc({})}, title="T", version="1")
    assert merged["x-unavailable-services"] == ["identity"]


def test_every_operation_documents_the_error_answers_it_really_gives() -> None:
    """Services answer a bad body 400 with the shared error body, never FastAPI's 422 (shared/http/errors.py), and
    every refusal (401 from the gateway, 404, 413, 429…) carries that body: documented as 4XX. The token endpoint
    answers OAuth's error shape instead (found by tests/e2e/test_api_fuzz.py)."""
    validated = _op("create")
    validated["responses"]["422"] = {
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
    }
    fastapi_schemas = {
        "HTTPValidationError": {"properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}}}},
        "ValidationError": {"type": "object"},
    }
    vault = _doc({"/api/ciphers": {"post": validated}}, fastapi_schemas)
    identity = _doc({"/identity/connect/token": {"post": _op("token")}})
    merged = merge_openapi(_doc({}), {"vault": vault, "identity": identity}, title="T", version="1")

    ciphers = merged["paths"]["/api/ciphers"]["post"]["responses"]
    assert set(ciphers) == {"200", "4XX"}
    assert ciphers["4XX"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponseModel"
    }
    assert merged["components"]["schemas"]["ErrorResponseModel"]["required"] == ["message", "object"]
    assert not set(fastapi_schemas) & set(merged["components"]["schemas"])  # nothing refers to them any more
    token = merged["paths"]["/identity/connect/token"]["post"]["responses"]
    assert token["4XX"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/OAuthErrorResponse"}
