"""`GET /api/config`: what Bitwarden clients read before and after login (bw-cli-api.md §3.1). Pure."""

from __future__ import annotations

from importlib import metadata
from typing import Any

# Clients gate features on the server version; Vaultwarden advertises the same one.
SERVER_VERSION = "2026.6.0"
SERVER_NAME = "MSPVault"


def git_hash() -> str:
    """Clients only display it; the package version identifies our build well enough."""
    try:
        return "mspvault-" + metadata.version("mspvault-gateway")
    except metadata.PackageNotFoundError:
        return "mspvault-dev"


def server_config(public_url: str, *, git_hash: str) -> dict[str, Any]:
    base = public_url.rstrip("/")
    return {
        "version": SERVER_VERSION,
        "gitHash": git_hash,
        "server": {"name": SERVER_NAME, "url": base},
        "settings": {"disableUserRegistration": False},
        "environment": {
            "vault": base,
            "api": f"{base}/api",
            "identity": f"{base}/identity",
            "notifications": f"{base}/notifications",
            "sso": "",
            "cloudRegion": None,
        },
        "push": {"pushTechnology": 0, "vapidPublicKey": None},
        # Empty on purpose: every client flag defaults to off, which keeps the code paths we tested.
        "featureStates": {},
        "communication": None,
        "object": "config",
    }
