"""Every event's JSON Schema is snapshotted; a change that would break a consumer fails here.

A compatible change (a new optional field) fails too until the snapshot is refreshed, so the snapshot always shows
the current contract: run `MSPVAULT_UPDATE_SNAPSHOTS=1 make test PYTEST_ARGS=tests/contract` and commit the files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from mspvault.shared.contracts import EventData, event_registry, load_all_contracts
from tests.contract.event_compat import breaking_changes

SNAPSHOTS = Path(__file__).parent / "snapshots" / "events"
UPDATE = os.environ.get("MSPVAULT_UPDATE_SNAPSHOTS") == "1"

load_all_contracts()
# Only the project's contracts: tests may define events of their own (they register too, being EventData).
EVENTS = sorted(
    (key, model) for key, model in event_registry().items() if model.__module__.startswith("mspvault.shared.contracts.")
)


@pytest.mark.parametrize(("key", "model"), EVENTS, ids=[f"{t}.v{v}" for (t, v), _ in EVENTS])
def test_event_schema_matches_snapshot(key: tuple[str, int], model: type[EventData]) -> None:
    event_type, version = key
    schema = model.model_json_schema()
    snapshot = SNAPSHOTS / f"{event_type}.v{version}.json"
    if UPDATE or not snapshot.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot for {event_type} v{version}; run with MSPVAULT_UPDATE_SNAPSHOTS=1")
        snapshot.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        return
    old = json.loads(snapshot.read_text())
    problems = breaking_changes(old, schema)
    assert not problems, f"{event_type} v{version} breaks consumers: {problems}; publish a new version instead"
    assert schema == old, f"{event_type} v{version} changed compatibly; refresh the snapshot"


def test_every_snapshot_still_has_its_event() -> None:
    known = {f"{t}.v{v}.json" for (t, v), _ in EVENTS}
    orphans = sorted(p.name for p in SNAPSHOTS.glob("*.json") if p.name not in known)
    assert not orphans, f"events removed while consumers may still expect them: {orphans}"


def test_compatibility_checker_flags_removed_and_newly_required_fields() -> None:
    old: dict[str, Any] = {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}
    new: dict[str, Any] = {"properties": {"a": {"type": "integer"}, "c": {"type": "string"}}, "required": ["a", "c"]}
    problems = breaking_changes(old, new)
    assert any(p.startswith("b: removed") for p in problems)
    assert any(p.startswith("a: type narrowed") for p in problems)
    assert any(p.startswith("c: newly required") for p in problems)
    assert breaking_changes(old, {**old, "properties": {**old["properties"], "d": {"type": "string"}}}) == []
