"""The committed AsyncAPI documents (docs/asyncapi/<service>.json) match the code: regenerate and compare.

After a change to the contracts or a service's consumers: `python -m mspvault.shared.ops.asyncapi` and commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mspvault.shared.contracts.topics import SERVICES, dlq_topic, events_topic
from mspvault.shared.ops import asyncapi

DOCS = Path(__file__).resolve().parents[2] / "docs" / "asyncapi"
GENERATED = asyncapi.documents()


@pytest.mark.parametrize("service", SERVICES)
def test_committed_document_is_what_the_code_generates(service: str) -> None:
    committed = DOCS / f"{service}.json"
    assert committed.exists(), f"missing {committed}; run python -m mspvault.shared.ops.asyncapi"
    assert committed.read_text() == GENERATED[service], (
        f"{committed} is out of date; run python -m mspvault.shared.ops.asyncapi and commit it"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_reference_resolves(service: str) -> None:
    document = json.loads(GENERATED[service])
    for ref in _refs(document):
        assert _resolve(document, ref) is not None, f"{service}: dangling {ref}"


@pytest.mark.parametrize("service", SERVICES)
def test_publishes_its_contracts_and_consumes_what_its_router_handles(service: str) -> None:
    document = json.loads(GENERATED[service])
    published = {asyncapi.message_id(m) for m in asyncapi.published_events(service)}
    sent = document["operations"][f"publish.{events_topic(service)}"]["messages"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in sent} == published
    router = asyncapi.service_router(service)
    for topic, handlers in router.handlers.items():
        received = document["operations"][f"consume.{topic}"]["messages"]
        assert {ref["$ref"].rsplit("/", 1)[1].split(".v")[0] for ref in received} == set(handlers), topic
        assert dlq_topic(topic) in document["channels"]
        assert document["operations"][f"consume.{topic}"]["action"] == "receive"


def test_an_event_payload_is_the_envelope_with_typed_data() -> None:
    document = json.loads(GENERATED["provider"])
    message = document["components"]["messages"]["ClientOrgCreated.v1"]
    envelope, typed = message["payload"]["allOf"]
    assert envelope == {"$ref": "#/components/schemas/Envelope"}
    assert typed["properties"]["type"] == {"const": "ClientOrgCreated"}
    data = document["components"]["schemas"]["ClientOrgCreatedV1"]
    assert {"organization_id", "encrypted_private_key", "public_key"} <= set(data["properties"])
    assert message["bindings"]["kafka"]["key"]["description"] == "The aggregate id (provider_id)."


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
