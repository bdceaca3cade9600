"""One OpenAPI document for the public API: the gateway's own routes plus every service's public paths.

Internal and operational paths (`/internal/*`, `/health`, `/metrics`) are dropped: the gateway never forwards
them. Schemas that two services name alike but define differently are renamed `<service>_<Name>`, with their
references rewritten, so no service's model silently replaces another's. The gateway's composed answers pass the
services' items through, so their models name the owner's schema (`service_schema`): a reference that carries
`x-service` is pointed at the name that service's schema has in the merged document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

JsonObject = dict[str, Any]

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
DROPPED_PATHS = frozenset({"/health", "/metrics", "/openapi.json", "/docs", "/redoc"})
SCHEMA_REF = "#/components/schemas/"
SERVICE_KEY = "x-service"
# Every refusal carries one JSON body (shared/http/errors.py), the token endpoint OAuth's; FastAPI's 422 is never
# answered: a body that fails validation is a 400 with that same body. Documented as 4XX on every operation.
OAUTH_PATHS = frozenset({"/identity/connect/token"})
ERROR_SCHEMAS: JsonObject = {
    "ErrorResponseModel": {
        "type": "object",
        "description": "Every refusal (400, 401, 404, 413, 429…), close to Bitwarden's ErrorResponseModel.",
        "required": ["message", "object"],
        "properties": {
            "message": {"type": "string"},
            "validationErrors": {
                "anyOf": [
                    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    {"type": "null"},
                ],
                "description": "The fields at fault, named as the clients print them (`login.uris[1].uri`).",
            },
            "errorModel": {"type": "object"},
            "object": {"const": "error"},
        },
    },
    "OAuthErrorResponse": {
        "type": "object",
        "description": "The token endpoint's refusals, as OAuth 2.0 (RFC 6749 §5.2) and Bitwarden clients read them.",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    },
}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def service_schema(service: str, name: str) -> JsonObject:
    """A reference to a schema another service's document defines (resolved by `merge_openapi`)."""
    return {"$ref": SCHEMA_REF + name, SERVICE_KEY: service}


def is_public(path: str) -> bool:
    return path not in DROPPED_PATHS and not (path == "/internal" or path.startswith("/internal/"))


def merge_openapi(
    gateway: JsonObject, services: Mapping[str, JsonObject | None], *, title: str, version: str
) -> JsonObject:
    """`gateway` wins where a path+method appears twice (it answers those itself, e.g. the composed profile).
    A service whose document could not be read is listed under `x-unavailable-services`."""
    merged: JsonObject = {
        "openapi": gateway.get("openapi", "3.1.0"),
        "info": {"title": title, "version": version},
        "paths": {},
        "components": {"schemas": {}},
        "tags": [],
    }
    unavailable = sorted(name for name, doc in services.items() if doc is None)
    documents = [("gateway", gateway), *((name, doc) for name, doc in services.items() if doc is not None)]
    renames = {name: _add_document(merged, name, document) for name, document in documents}
    merged["paths"] = _resolve_service_refs(merged["paths"], renames)
    merged["components"]["schemas"] = _resolve_service_refs(merged["components"]["schemas"], renames)
    merged["tags"] = [{"name": name} for name, _ in documents]
    _document_errors(merged)
    if unavailable:
        merged["x-unavailable-services"] = unavailable
    return merged


def _add_document(merged: JsonObject, service: str, document: JsonObject) -> dict[str, str]:
    """Adds the service's public paths and its schemas; answers the schemas it renamed."""
    schemas: JsonObject = merged["components"]["schemas"]
    own_schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
    renames = {
        name: f"{service}_{name}" for name, schema in own_schemas.items() if name in schemas and schemas[name] != schema
    }
    if renames:
        document = _rewrite_refs(document, renames)
        own_schemas = document.get("components", {}).get("schemas", {})
    for name, schema in own_schemas.items():
        schemas.setdefault(renames.get(name, name), schema)
    for path, item in document.get("paths", {}).items():
        if not is_public(path):
            continue
        target: JsonObject = merged["paths"].setdefault(path, {})
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                target.setdefault(method, operation)  # path-level parameters, summary…
            elif method not in target:
                target[method] = _tag(operation, service)
    return renames


def _document_errors(merged: JsonObject) -> None:
    for path, item in merged["paths"].items():
        error = "OAuthErrorResponse" if path in OAUTH_PATHS else "ErrorResponseModel"
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses: JsonObject = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["4XX"] = {
                "description": "Refused: the body says why",
                "content": {"application/json": {"schema": {"$ref": SCHEMA_REF + error}}},
            }
    schemas: JsonObject = merged["components"]["schemas"]
    schemas.update(ERROR_SCHEMAS)
    for name in FASTAPI_VALIDATION_SCHEMAS:  # HTTPValidationError first: it is what refers to ValidationError
        for unused in [n for n in schemas if n == name or n.endswith(f"_{name}")]:
            if f'"{SCHEMA_REF}{unused}"' not in json.dumps({"paths": merged["paths"], "schemas": schemas}):
                del schemas[unused]


def _tag(operation: JsonObject, service: str) -> JsonObject:
    tagged = {**operation, "tags": operation.get("tags") or [service]}
    if "operationId" in operation:
        tagged["operationId"] = f"{service}_{operation['operationId']}"  # unique across services
    return tagged


def _resolve_service_refs(node: Any, renames: Mapping[str, Mapping[str, str]]) -> Any:
    if isinstance(node, dict):
        service = node.get(SERVICE_KEY)
        if isinstance(service, str) and isinstance(node.get("$ref"), str):
            name = node["$ref"].removeprefix(SCHEMA_REF)
            return {"$ref": SCHEMA_REF + renames.get(service, {}).get(name, name)}
        return {key: _resolve_service_refs(value, renames) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve_service_refs(value, renames) for value in node]
    return node


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        rewritten = {key: _rewrite_refs(value, renames) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF) and ref[len(SCHEMA_REF) :] in renames:
            rewritten["$ref"] = SCHEMA_REF + renames[ref[len(SCHEMA_REF) :]]
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(value, renames) for value in node]
    return node
