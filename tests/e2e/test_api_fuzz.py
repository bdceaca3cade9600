"""Schemathesis against the gateway's merged OpenAPI (issue 11's attack suite): every documented operation, with
examples generated from its documented parameters and body (tests/e2e/api_fuzz.py), as an anonymous caller and as a
logged-in member with a folder and an item. No answer may be a 5xx, and every answer must be documented: its status
code, its content type and its body against the documented schema (every 2xx body, every refusal against the shared
error body). The answers random examples never reach (a provider admin's sync and profile, an export, logins) are
checked against the same document on the demo's world. What this cannot check is in docs/security.md.

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
from tests.e2e.api_fuzz import Report, fuzz
from tests.e2e.conftest import Attack, new_email
from tests.e2e.documented import body_errors, merged_document

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # the first test of a run pays for the system start

ANONYMOUS_EXAMPLES = 2  # nearly every operation answers 401 at once
MEMBER_EXAMPLES = 4


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def document(system: System) -> dict[str, Any]:
    tls = ssl.create_default_context(cafile=str(system.ca_path))
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls, trust_env=False, timeout=60) as http:
        return await merged_document(http)


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


class Recorder(httpx.AsyncBaseTransport):
    """Keeps every answer a client library reads, so its raw bodies can be checked too."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.answers: list[httpx.Response] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.answers.append(response)  # the same object the client reads, so its body is there afterwards
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_answers_random_examples_never_reach_match_their_documented_bodies(
    system: System, document: dict[str, Any], attack: Attack
) -> None:
    """The demo's world: Alice administers Acme MSP, which runs Contoso (she is not a member of it); Carol is a
    User of Contoso with collections and items. Their syncs and profiles carry every kind of part (providers,
    clients listed among the organizations, collections, policies, organization items); a fresh account's login
    and refresh are read on the wire."""
    alice, carol = attack.as_(attack.alice), attack.as_(attack.carol)
    calls = [
        ("/api/sync", alice),
        ("/api/sync?excludeDomains=true", carol),
        ("/api/sync", carol),
        ("/api/accounts/profile", alice),
        ("/api/accounts/profile", carol),
        (f"/api/organizations/{attack.world.contoso_id}/export", alice),
        ("/api/accounts/revision-date", carol),
        ("/api/config", {}),
        ("/api/now", {}),
        ("/alive", {}),
    ]
    answers = []
    for path, headers in calls:
        response = await attack.http.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text[:300])
        answers.append(response)
    alice_sync = answers[0].json()
    assert alice_sync["profile"]["providers"]
    assert alice_sync["profile"]["providerOrganizations"]
    assert any(org["id"] == attack.world.contoso_id for org in alice_sync["profile"]["organizations"])
    carol_sync = answers[2].json()
    assert carol_sync["collections"]
    assert carol_sync["ciphers"]
    assert carol_sync["domains"] is not None
    export = answers[5].json()
    assert export["ciphers"]
    assert export["collections"]

    recorder = Recorder(httpx.AsyncHTTPTransport(verify=ssl.create_default_context(cafile=str(system.ca_path))))
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path, transport=recorder) as client:
        email = new_email()
        await client.register(email, "documented answers", name="Documented")
        await client.login(email, "documented answers")
        await client.refresh()
    tokens = [answer for answer in recorder.answers if answer.request.url.path == "/identity/connect/token"]
    assert [answer.status_code for answer in tokens] == [200, 200]
    assert "Key" in tokens[0].json()  # a login's answer, then a refresh's
    assert "refresh_token" in tokens[1].json()

    errors = [error for answer in [*answers, *tokens] for error in body_errors(document, answer)]
    assert not errors, "\n".join(errors)
