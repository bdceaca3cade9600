"""Schemathesis against the gateway's merged OpenAPI (issue 11's attack suite): every documented operation, with
examples generated from its documented parameters and body (tests/e2e/api_fuzz.py), as an anonymous caller and as a
logged-in member with a folder and an item. No answer may be a 5xx, and every answer must be documented: its status
code, its content type and its body against the documented schema (2xx bodies where the route declares a model,
every refusal against the shared error body). What this cannot check is in docs/security.md.

Bounded: a few examples per operation, derandomized (the same examples every run), ~1-2 minutes for the module on
a loaded 2-core machine besides the system's start. The loop runs on a thread: the launcher pumps the services' logs
on this event loop, which must keep turning."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.deploy.system import System
from mspvault.shared.testing.wait import wait_until
from tests.e2e.api_fuzz import Report, fuzz
from tests.e2e.conftest import new_email

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # the first test of a run pays for the system start

ANONYMOUS_EXAMPLES = 2  # nearly every operation answers 401 at once
MEMBER_EXAMPLES = 4


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def document(system: System) -> dict[str, Any]:
    """The merged document with every service in it. A service builds its own the first time it is asked, which on
    a loaded machine can outlast the gateway's short wait (the merge then lists it as unavailable): ask again."""
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=60) as http:

        async def complete() -> dict[str, Any] | None:
            response = await http.get("/openapi.json")
            assert response.status_code == 200
            merged: dict[str, Any] = response.json()
            return None if "x-unavailable-services" in merged else merged

        document = await wait_until(complete, timeout=120, interval=1, message="a complete OpenAPI")
    assert isinstance(document, dict)
    return document


@dataclass
class Member:
    client: MSPVaultClient
    own_ids: dict[str, str]  # path parameters the member may use: their folder, their item, themselves


@pytest_asyncio.fixture(loop_scope="session")
async def member(system: System) -> AsyncIterator[Member]:
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as client:
        email = new_email()
        await client.register(email, "fuzzing is caring", name="Fuzz Member")
        await client.login(email, "fuzzing is caring")
        folder = await client.vault.create_folder("Servers")
        item = await client.vault.create_cipher(
            PlainCipher("router", Login("admin", "hunter2"), notes="fuzzed", folder_id=folder.id)
        )
        assert item.id is not None
        yield Member(client, {"folder_id": folder.id, "cipher_id": item.id, "user_id": client.session.user_id})


def assert_clean(report: Report) -> None:
    print(report.summary())  # figures for the report
    assert report.operations > 100
    assert report.requests >= report.operations
    assert not report.findings, "\n".join(str(finding) for finding in report.findings)


async def test_anonymous_callers_get_no_5xx_and_only_documented_answers(
    system: System, document: dict[str, Any]
) -> None:
    report = await asyncio.to_thread(
        fuzz, document, base_url=system.gateway_url, verify=str(system.ca_path), headers={}, examples=ANONYMOUS_EXAMPLES
    )
    assert report.statuses.get(401, 0) > report.operations // 2  # most routes need a token, and say so
    assert_clean(report)


async def test_a_member_gets_no_5xx_and_only_documented_answers(
    system: System, document: dict[str, Any], member: Member
) -> None:
    """Random ids mostly meet 404; the member's own folder, item and user id take some calls past the lookup."""
    headers = {"Authorization": f"Bearer {member.client.session.access_token}"}
    report = await asyncio.to_thread(
        fuzz,
        document,
        base_url=system.gateway_url,
        verify=str(system.ca_path),
        headers=headers,
        examples=MEMBER_EXAMPLES,
        path_ids=member.own_ids,
    )
    assert sum(n for status, n in report.statuses.items() if status < 300) > 10  # some calls got through
    assert_clean(report)
