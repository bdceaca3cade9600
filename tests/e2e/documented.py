"""A real answer against the gateway's merged OpenAPI document: the body the document promises for its operation and
status, checked as the fuzzing checks it (tests/e2e/api_fuzz.py), for answers random examples never reach: a
provider admin's sync, an export, a login, the operator console."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs; only the validator

from mspvault.shared.testing.wait import wait_until


async def merged_document(http: httpx.AsyncClient) -> dict[str, Any]:
    """The gateway's `/openapi.json` with every service in it. A service builds its own the first time it is asked,
    which on a loaded machine can outlast the gateway's short wait (the merge then lists it as unavailable): ask
    again."""

    async def complete() -> dict[str, Any] | None:
        response = await http.get("/openapi.json")
        assert response.status_code == 200
        merged: dict[str, Any] = response.json()
        return None if "x-unavailable-services" in merged else merged

    document = await wait_until(complete, timeout=120, interval=1, message="a complete OpenAPI")
    assert isinstance(document, dict)
    return document


def operation_of(document: Mapping[str, Any], method: str, path: str) -> dict[str, Any]:
    """The operation whose path template matches `path` (a literal segment wins over a parameter)."""
    candidates = []
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            candidates.append((template.count("{"), item[method.lower()]))
    assert candidates, f"{method} {path} is not in the document"
    operation: dict[str, Any] = min(candidates, key=lambda candidate: candidate[0])[1]
    return operation


def body_errors(document: Mapping[str, Any], response: httpx.Response) -> list[str]:
    """Where the JSON body breaks the schema documented for the response's operation and status (none: conforms)."""
    request = response.request
    operation = operation_of(document, request.method, request.url.path)
    responses = operation["responses"]
    status = str(response.status_code)
    documented = responses.get(status) or responses.get(f"{status[0]}XX")
    assert documented is not None, f"{request.method} {request.url.path}: status {status} is not documented"
    schema = documented["content"]["application/json"]["schema"]
    assert schema, f"{request.method} {request.url.path}: the {status} body is not documented"
    validator = Draft202012Validator({**schema, "components": document["components"]})
    label = f"{request.method} {request.url.path} {status}"
    return [
        f"{label} at {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in validator.iter_errors(response.json())
    ]
