"""What an operator may see of an event: masked by construction, not by guessing what looks secret.

A value is shown only when its contract declares a type that cannot carry a secret — a UUID, an integer, a boolean,
a timestamp (or a list/object made only of those) — and the value really has that type. Every string field (names,
emails, public keys, EncStrings, keys) is replaced by MASK, whatever it contains; so is everything in an event whose
contract is unknown, and anything that does not parse. Emails are masked too: they are personal data, and ids are
enough to follow a flow. The envelope's ids, type and times are shown; the actor's IP is masked.

Free text that cannot be typed (error messages attached to dead letters) goes through `scrub`, which removes
anything shaped like an EncString, a JWT, or a long base64/hex run — a second line of defence, not the first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from mspvault.shared.contracts import load_all_contracts
from mspvault.shared.contracts.envelope import Envelope, EventData, event_registry

MASK = "[masked]"

# EncStrings (`2.iv|ct|mac`, `4.<rsa>`, `7.<cose>`), JWTs, and long opaque runs (keys, hashes, tokens).
_ENCSTRING = re.compile(r"\b\d\.[A-Za-z0-9+/=_-]{8,}(?:\|[A-Za-z0-9+/=_-]+)*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_OPAQUE = re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def scrub(text: str) -> str:
    """Free text with every EncString-, token- or key-shaped run replaced (UUIDs kept: they are ids)."""
    text = _JWT.sub(MASK, text)
    text = _ENCSTRING.sub(MASK, text)
    return _OPAQUE.sub(lambda m: m.group(0) if _UUID.match(m.group(0)) else MASK, text)


def mask_envelope(envelope: Envelope) -> dict[str, Any]:
    load_all_contracts()  # the gateway imports no contract module of its own; the registry must know them all
    model = event_registry().get((envelope.type, envelope.version))
    return {
        "id": str(envelope.id),
        "type": scrub(envelope.type),
        "version": envelope.version,
        "occurredAt": envelope.occurred_at.isoformat(),
        "producer": scrub(envelope.producer),
        "key": envelope.key if _UUID.match(envelope.key) else MASK,
        "correlationId": scrub(envelope.correlation_id) if envelope.correlation_id else None,
        "causationId": str(envelope.causation_id) if envelope.causation_id else None,
        "actor": {
            "userId": _str_or_none(envelope.actor.user_id),
            "providerId": _str_or_none(envelope.actor.provider_id),
            "deviceType": envelope.actor.device_type,
            "ip": MASK if envelope.actor.ip else None,
        },
        "data": mask_data(model, envelope.data),
    }


def mask_value(raw: bytes | None) -> dict[str, Any]:
    """A record's value as an operator sees it: the masked envelope, or only its size when it is not one."""
    if raw is None:
        return {"envelope": None, "bytes": 0}
    try:
        envelope = Envelope.model_validate_json(raw)
    except (ValidationError, ValueError):
        return {"envelope": None, "bytes": len(raw), "unparseable": True}
    return {"envelope": mask_envelope(envelope), "bytes": len(raw)}


def mask_data(model: type[EventData] | None, data: dict[str, Any]) -> dict[str, Any]:
    if model is None:
        return {"_masked": len(data)}  # not even the field names: an unknown producer chose them
    schema = model.model_json_schema()
    return _mask_object(schema, schema, data)


def _mask_object(root: dict[str, Any], schema: dict[str, Any], data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {"value": MASK}
    properties: dict[str, Any] = schema.get("properties", {})
    shown = {name: _mask(root, properties[name], value) for name, value in data.items() if name in properties}
    undeclared = sum(1 for name in data if name not in properties)
    if undeclared:
        shown["_masked"] = undeclared  # names the contract does not declare are not shown either
    return shown


def _mask(root: dict[str, Any], schema: dict[str, Any] | None, value: Any) -> Any:
    if schema is None:
        return MASK
    schema = _resolve(root, schema)
    if value is None:
        return None
    if "anyOf" in schema:  # Optional[X]: the first branch that shows the value wins, else masked
        for branch in schema["anyOf"]:
            shown = _mask(root, branch, value)
            if shown != MASK:
                return shown
        return MASK
    kind = schema.get("type")
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "string" and isinstance(value, str):
        parse = _SHOWN_FORMATS.get(schema.get("format", ""))
        return value if parse is not None and _parses(parse, value) else MASK
    if kind == "array" and isinstance(value, list):
        return [_mask(root, schema.get("items"), item) for item in value]
    if kind == "object" and isinstance(value, dict):
        return _mask_object(root, schema, value)
    return MASK


def _resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
        return resolved
    return schema


# The string formats shown when the value really has that form: ids and times say nothing secret.
_SHOWN_FORMATS: dict[str, Callable[[str], object]] = {"uuid": uuid.UUID, "date-time": datetime.fromisoformat}


def _parses(parse: Callable[[str], object], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _str_or_none(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None
