"""The routing table: which service owns a public path, which paths need a token, and what never leaves."""

from __future__ import annotations

import pytest

from mspvault.gateway.routing import (
    Service,
    is_public_api,
    needs_operator,
    needs_secret_check,
    needs_token,
    service_for,
)


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/identity/connect/token", Service.IDENTITY),
        ("/identity/accounts/prelogin/password", Service.IDENTITY),
        ("/identity/.well-known/jwks", Service.IDENTITY),
        ("/api/accounts/key-management/user-key-id", Service.IDENTITY),
        ("/api/accounts/profile", Service.IDENTITY),  # PUT/POST; GET is composed by the gateway itself
        ("/api/users/3f1c/public-key", Service.IDENTITY),
        ("/api/admin/providers", Service.PROVIDER),
        ("/api/providers/p1/users/u1/confirm", Service.PROVIDER),
        ("/api/organizations/o1/users", Service.ORGANIZATION),
        ("/api/organizations", Service.ORGANIZATION),
        ("/api/collections", Service.ORGANIZATION),
        ("/api/policies/token", Service.ORGANIZATION),
        ("/api/ciphers", Service.VAULT),
        ("/api/ciphers/c1/share", Service.VAULT),
        ("/api/folders/f1", Service.VAULT),
        # Account recovery: identity applies it, after asking the organization service.
        ("/api/organizations/o1/users/m1/reset-password", Service.IDENTITY),
        ("/api/organizations/o1/users/m1/reset-password-details", Service.IDENTITY),
        ("/api/organizations/o1/users/u1/reset-password-enrollment", Service.ORGANIZATION),
        ("/api/organizations/o1/users/m1/reset-password/x", Service.ORGANIZATION),
        ("/api/organizations/o1/groups/m1/reset-password", Service.ORGANIZATION),
    ],
)
def test_public_paths_go_to_their_owner(path: str, service: Service) -> None:
    assert service_for(path) is service


@pytest.mark.parametrize(
    "path",
    [
        "/internal/sync",
        "/internal/revision-date",
        "/internal",
        "/api/internal/sync",
        "/health/../internal/sync",
        "/api/ciphers/../../internal/sync",
        "/api/ciphers/./x",
        "/identity/../internal/sync",
        "/api/unknown",
        "/api",
        "/apix/ciphers",
        "/identityx",
        "/metrics",
        "/",
    ],
)
def test_internal_unknown_and_dot_segment_paths_are_not_forwarded(path: str) -> None:
    assert service_for(path) is None


@pytest.mark.parametrize("path", ["/api/sync", "/api/ciphers", "/api/accounts/revision-date", "/api/unknown", "/api"])
def test_api_paths_need_a_token(path: str) -> None:
    assert needs_token(path)


@pytest.mark.parametrize(
    "path",
    [
        "/api/config",
        "/api/alive",
        "/api/accounts/prelogin",
        "/api/accounts/register",
        "/identity/connect/token",
        "/health",
        "/alive",
    ],
)
def test_public_paths_need_no_token(path: str) -> None:
    assert not needs_token(path)


@pytest.mark.parametrize(
    ("path", "operator_only"),
    [
        ("/api/admin/providers", True),
        ("/api/admin", True),
        ("/api/administrators", False),
        ("/api/providers/x/admin", False),
        ("/identity/admin", False),
    ],
)
def test_operator_routes_are_known_by_prefix(path: str, operator_only: bool) -> None:
    assert needs_operator(path) is operator_only


def test_two_step_and_api_key_routes() -> None:
    """Issue 14: `/api/two-factor/*` is identity's (two of them anonymous), `/api/public/*` the organization's and
    for an organization's API-key token, and the organization API-key routes get the master-password check."""
    assert service_for("/api/two-factor/get-authenticator") is Service.IDENTITY
    assert needs_token("/api/two-factor/get-authenticator")
    assert not needs_token("/api/two-factor/send-email-login")
    assert not needs_token("/api/two-factor/recover")
    assert service_for("/api/public/members") is Service.ORGANIZATION
    assert is_public_api("/api/public/members")
    assert not is_public_api("/api/publicity")
    assert needs_secret_check("POST", "/api/organizations/o1/api-key")
    assert needs_secret_check("POST", "/api/organizations/o1/rotate-api-key")
    assert not needs_secret_check("GET", "/api/organizations/o1/api-key")
    assert not needs_secret_check("POST", "/api/organizations/o1/users/api-key")
