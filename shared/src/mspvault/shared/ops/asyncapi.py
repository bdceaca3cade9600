"""AsyncAPI 3.0 documents, one per service, generated from the code: what it publishes (every event of its contracts
module, on `<service>.events`) and what it consumes (its EventRouter's topics and event types), with the envelope and
payload schemas of the contracts and the dead-letter topics its consumer writes to.

Built from our contracts rather than from FastStream's own generator: services publish through the outbox relay, not
through FastStream publishers, and consume with one untyped inbox subscriber, so FastStream would see neither the
event types nor their schemas.

    python -m mspvault.shared.ops.asyncapi            # write docs/asyncapi/<service>.json
    python -m mspvault.shared.ops.asyncapi --check    # exit 1 if a committed document differs from the code
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mspvault.shared.contracts import load_all_contracts
from mspvault.shared.contracts.envelope import Envelope, EventData, event_registry
from mspvault.shared.contracts.topics import SERVICES, dlq_topic, events_topic
from mspvault.shared.messaging.router import EventRouter
from mspvault.shared.settings import (
    IdentitySettings,
    OrganizationSettings,
    ProviderSettings,
    ServiceSettings,
    VaultSettings,
)

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
SETTINGS: dict[str, type[ServiceSettings]] = {
    "identity": IdentitySettings,
    "provider": ProviderSettings,
    "organization": OrganizationSettings,
    "vault": VaultSettings,
}
# Placeholders: building a service's parts reads settings but connects to nothing.
PLACEHOLDER_DATABASE = "postgresql+asyncpg://asyncapi@localhost/asyncapi"
PLACEHOLDER_BOOTSTRAP = "kafka:9092"
RELAY_HEADER_FIELDS: dict[str, dict[str, str]] = {
    "event_id": {"type": "string", "format": "uuid"},
    "event_type": {"type": "string"},
    "correlation_id": {"type": "string", "description": "The request that caused it (X-Correlation-Id)."},
}
RELAY_HEADERS = {"type": "object", "properties": RELAY_HEADER_FIELDS}
DLQ_HEADERS = {
    "type": "object",
    "properties": {
        **RELAY_HEADER_FIELDS,
        "dlq_error": {"type": "string", "description": "The last error, one line."},
        "dlq_error_type": {"type": "string"},
        "dlq_consumer": {"type": "string", "description": "The consumer group that gave up."},
        "dlq_attempts": {"type": "string"},
        "dlq_original_topic": {"type": "string"},
        "dlq_original_partition": {"type": "string"},
        "dlq_original_offset": {"type": "string"},
    },
}


def published_events(service: str) -> list[type[EventData]]:
    """Every event of the service's contracts module, and those every service publishes (revision dates), by type
    and version."""
    load_all_contracts()
    modules = {f"mspvault.shared.contracts.{service}", "mspvault.shared.contracts.revisions"}
    return [model for _, model in sorted(event_registry().items()) if model.__module__ in modules]


def consumed_events(router: EventRouter) -> dict[str, list[type[EventData]]]:
    load_all_contracts()
    by_type: dict[str, list[type[EventData]]] = {}
    for (event_type, _), model in sorted(event_registry().items()):
        by_type.setdefault(event_type, []).append(model)
    return {
        topic: [model for event_type in sorted(router.handlers[topic]) for model in by_type.get(event_type, [])]
        for topic in router.topics
    }


def message_id(model: type[EventData]) -> str:
    return f"{model.event_type}.v{model.version}"


def build_document(service: str, router: EventRouter) -> dict[str, Any]:
    own_topic = events_topic(service)
    published = published_events(service)
    consumed = consumed_events(router)
    schemas: dict[str, Any] = {}
    schemas["Envelope"] = _schema(Envelope, schemas)
    messages: dict[str, Any] = {}
    for model in {message_id(m): m for m in [*published, *(m for ms in consumed.values() for m in ms)]}.values():
        messages[message_id(model)] = _message(model, schemas)
    channels: dict[str, Any] = {
        own_topic: _channel(own_topic, published, f"Events the {service} service publishes (outbox relay).")
    }
    operations: dict[str, Any] = {
        f"publish.{own_topic}": {
            "action": "send",
            "channel": {"$ref": f"#/channels/{_escape(own_topic)}"},
            "summary": "Published from the transactional outbox, in order per key (the aggregate id), acks=all.",
            "messages": [_message_ref(own_topic, m) for m in published],
        }
    }
    for topic, models in consumed.items():
        if topic == own_topic:  # it also listens to its own events: one channel, both operations
            merged = {message_id(m): m for m in [*published, *models]}.values()
            channels[topic] = _channel(topic, merged, f"Events the {service} service publishes and consumes.")
        else:
            channels[topic] = _channel(topic, models, f"Events the {service} service consumes from this topic.")
        operations[f"consume.{topic}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{_escape(topic)}"},
            "summary": f"Applied once each (inbox), in consumer group `{service}`; "
            f"after repeated failure sent to `{dlq_topic(topic)}`.",
            "bindings": {"kafka": {"groupId": {"type": "string", "enum": [service]}}},
            "messages": [_message_ref(topic, m) for m in models],
        }
        dead = dlq_topic(topic)
        channels[dead] = {
            "address": dead,
            "description": f"Dead letters of `{topic}`: the original value and headers, plus the error.",
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        }
        operations[f"deadLetter.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{_escape(dead)}"},
            "messages": [{"$ref": f"#/channels/{_escape(dead)}/messages/DeadLetter"}],
        }
    if consumed:
        messages["DeadLetter"] = {
            "name": "DeadLetter",
            "title": "An event a consumer gave up on",
            "contentType": "application/json",
            "headers": DLQ_HEADERS,
            "payload": {"description": "The original record value, unchanged (it may not even be JSON)."},
        }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"MSPVault {service} service",
            "version": DOCUMENT_VERSION,
            "description": f"Kafka topics the {service} service publishes to and consumes from. Generated from the "
            "event contracts and the service's consumers by `python -m mspvault.shared.ops.asyncapi`.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {"host": "kafka:9092", "protocol": "kafka", "description": "Apache Kafka (docker-compose)."}
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _channel(topic: str, models: Iterable[type[EventData]], description: str) -> dict[str, Any]:
    return {
        "address": topic,
        "description": description,
        "messages": {message_id(m): {"$ref": f"#/components/messages/{message_id(m)}"} for m in models},
    }


def _message_ref(topic: str, model: type[EventData]) -> dict[str, str]:
    return {"$ref": f"#/channels/{_escape(topic)}/messages/{message_id(model)}"}


def _message(model: type[EventData], schemas: dict[str, Any]) -> dict[str, Any]:
    payload_name = model.__name__
    schemas[payload_name] = _schema(model, schemas)
    return {
        "name": model.event_type,
        "title": f"{model.event_type} v{model.version}",
        "summary": (model.__doc__ or "").strip().split("\n")[0] or None,
        "contentType": "application/json",
        "headers": RELAY_HEADERS,
        "bindings": {
            "kafka": {"key": {"type": "string", "description": f"The aggregate id ({model.aggregate_field})."}}
        },
        "payload": {
            "allOf": [
                {"$ref": REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": model.event_type},
                        "version": {"const": model.version},
                        "data": {"$ref": REF.format(model=payload_name)},
                    },
                },
            ]
        },
    }


def _schema(model: type[Any], schemas: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(ref_template=REF)
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    return schema


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def service_router(service: str) -> EventRouter:
    """The service's consumers, from its own composition root (imported by name: shared depends on no service)."""
    bootstrap = importlib.import_module(f"mspvault.{service}.bootstrap")
    settings = SETTINGS[service](database_url=PLACEHOLDER_DATABASE, kafka_bootstrap=PLACEHOLDER_BOOTSTRAP)
    parts = bootstrap.build_parts(settings)
    router: EventRouter = parts.events
    return router


def documents(services: Sequence[str] = SERVICES) -> dict[str, str]:
    return {service: render(build_document(service, service_router(service))) for service in services}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mspvault.shared.ops.asyncapi")
    parser.add_argument("--out", type=Path, default=Path("docs/asyncapi"))
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for service, text in documents().items():
        path = args.out / f"{service}.json"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if stale:
        print("out of date (run python -m mspvault.shared.ops.asyncapi): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
