"""Is a Docker engine answering? Decides between testcontainers and the embedded fallbacks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

InfraMode = Literal["auto", "docker", "embedded"]
INFRA_MODES: tuple[InfraMode, ...] = ("auto", "docker", "embedded")


def infra_mode(env: Mapping[str, str] | None = None, default: InfraMode = "auto") -> InfraMode:
    """`MSPVAULT_INFRA`: auto (Docker when it answers, else embedded), docker (required) or embedded (never Docker)."""
    value = (os.environ if env is None else env).get("MSPVAULT_INFRA", default).strip().lower() or default
    if value not in INFRA_MODES:
        raise ValueError(f"MSPVAULT_INFRA must be one of {', '.join(INFRA_MODES)}, not {value!r}")
    return value


def docker_available(timeout: float = 2.0) -> bool:
    """True when a Docker engine answers a ping within `timeout` seconds."""
    try:
        import docker  # type: ignore[import-untyped]  # imported lazily: only this probe needs it

        client = docker.from_env(timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no socket, no permission, engine down: each one means "use the embedded fallback"
        return False


def use_docker(mode: InfraMode) -> bool:
    if mode == "embedded":
        return False
    if docker_available():
        return True
    if mode == "docker":
        raise RuntimeError("MSPVAULT_INFRA=docker but no Docker engine answers (check DOCKER_HOST or the socket)")
    return False
