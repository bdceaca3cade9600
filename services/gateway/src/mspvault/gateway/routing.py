"""Which service answers a public path. Pure: the table is data, tested on its own.

The gateway forwards by prefix with the path unchanged; the few paths it answers itself (config, sync, the
composed account reads) are registered as routes before the catch-all forwarder, so they never reach this table.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Service(StrEnum):
    IDENTITY = "identity"
    PROVIDER = "provider"
    ORGANIZATION = "organization"
    VAULT = "vault"


# First path segment after `/api/` → the service that owns it.
API_SEGMENTS: dict[str, Service] = {
    "accounts": Service.IDENTITY,
    "users": Service.IDENTITY,
    "two-factor": Service.IDENTITY,
    "admin": Service.PROVIDER,
    "providers": Service.PROVIDER,
    "organizations": Service.ORGANIZATION,
    "collections": Service.ORGANIZATION,
    "policies": Service.ORGANIZATION,
    "public": Service.ORGANIZATION,  # Bitwarden's public API, for an organization's API key
    "ciphers": Service.VAULT,
    "folders": Service.VAULT,
}

# Account recovery lives under a member's path but is identity's to apply (a new master password, the sessions
# ended); identity asks the organization service, as the caller, whether they may (`…/reset-password-details`,
# `…/reset-password`).
ACCOUNT_RECOVERY_SUFFIXES = ("/reset-password-details", "/reset-password")


def _account_recovery(path: str) -> bool:
    """`/api/organizations/{orgId}/users/{id}/reset-password[-details]`: exactly those six segments."""
    parts = path.split("/")
    return (
        len(parts) == 7
        and parts[1:3] == ["api", "organizations"]
        and parts[4] == "users"
        and ("/" + parts[6]) in ACCOUNT_RECOVERY_SUFFIXES
    )


# `/api/*` paths anyone may call without a token: the config (the CLI reads it before it logs in), liveness, the
# legacy `/api` spellings of registration and prelogin that identity serves for older clients, two-step login's
# two routes for someone not logged in yet, and the email verification link (opened by whoever reads the mail,
# logged in or not: the token in it is the proof).
PUBLIC_API_PATHS = frozenset(
    {
        "/api/config",
        "/api/alive",
        "/api/now",
        "/api/accounts/register",
        "/api/accounts/prelogin",
        # Two-step login from the login page: the password is proved in the body (rate-limited as a login).
        "/api/two-factor/send-email-login",
        "/api/two-factor/recover",
        "/api/accounts/verify-email-token",
    }
)


# `/api/*` segments whose routes are for platform operators only: the gateway confirms the caller is one now
# (operators.py) before forwarding, so a removed operator's token stops working there before it expires.
OPERATOR_API_SEGMENTS = frozenset({"admin"})


def needs_operator(path: str) -> bool:
    return path.startswith("/api/") and path[len("/api/") :].split("/", 1)[0] in OPERATOR_API_SEGMENTS


def service_for(path: str) -> Service | None:
    """The service that owns `path`, or None when nothing public lives there (→ 404)."""
    if not is_safe(path):
        return None
    if path == "/identity" or path.startswith("/identity/"):
        return Service.IDENTITY
    if _account_recovery(path):
        return Service.IDENTITY
    if path.startswith("/api/"):
        return API_SEGMENTS.get(path[len("/api/") :].split("/", 1)[0])
    return None


def needs_token(path: str) -> bool:
    """Every `/api/*` route is checked here before it leaves the gateway; the services check again."""
    return (path == "/api" or path.startswith("/api/")) and path not in PUBLIC_API_PATHS


def is_safe(path: str) -> bool:
    """Refuse dot segments: the upstream HTTP client normalises them, so `/api/ciphers/../../internal/x`
    would otherwise leave the gateway as `/internal/x`."""
    return not any(segment in {".", ".."} for segment in path.split("/"))


def is_public_api(path: str) -> bool:
    """`/api/public/*` takes an organization's API-key token instead of a user's."""
    return path.startswith("/api/public/")


# Routes that need the caller's master-password hash where the owning service cannot check it (the organization
# service holds no password): the gateway asks identity first (secrets.py).
SECRET_CHECKED = re.compile(r"^/api/organizations/[^/]+/(api-key|rotate-api-key)$")


def needs_secret_check(method: str, path: str) -> bool:
    return method == "POST" and SECRET_CHECKED.match(path) is not None
