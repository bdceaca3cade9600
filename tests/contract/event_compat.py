"""Is a new JSON Schema of an event a safe evolution of the old one? Consumers built on the old one must still work."""

from __future__ import annotations

from typing import Any


def breaking_changes(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    problems: list[str] = []
    old_props: dict[str, Any] = old.get("properties", {})
    new_props: dict[str, Any] = new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{path}{name}: removed")
            continue
        if _types(old_prop) - _types(new_props[name]):
            problems.append(f"{path}{name}: type narrowed from {_types(old_prop)} to {_types(new_props[name])}")
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        problems.append(f"{path}{name}: newly required (old producers do not send it)")
    return problems


def _types(prop: dict[str, Any]) -> set[str]:
    if "anyOf" in prop:
        return set().union(*(_types(option) for option in prop["anyOf"]))
    if "$ref" in prop:
        return {prop["$ref"]}
    kind = prop.get("type", "any")
    return {kind} if isinstance(kind, str) else set(kind)
