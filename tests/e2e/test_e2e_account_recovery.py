"""Account recovery end to end (issue 14), through the HTTPS gateway with real client-side crypto: Carol forgets her
master password; Bob, a Service User of Contoso's provider, recovers her account from the org private key; Carol
logs in with the new password and decrypts all her personal and organization items; her old sessions are over.

The world is the demo's (operator → Acme MSP → Alice → Bob → Contoso → Carol), built for this module."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from mspvault.client import ApiError, MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import Connection, Person, invite_and_accept, log_in, sign_up
from mspvault.deploy.system import System
from mspvault.shared.testing import wait_until
from tests.conftest import OPERATOR_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

SINGLE_ORG, ACCOUNT_RECOVERY = 3, 8
NEW_PASSWORD = "carol's brand new master password"
OWN_PASSWORD = "the password carol chose herself"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(system: System) -> AsyncIterator[tuple[DemoWorld, Connection]]:
    connection = Connection(system.gateway_url, ca=system.ca_path)
    options = DemoOptions(
        connection=connection,
        mail_dir=system.mail_dir,
        tag=uuid.uuid4().hex[:6],
        operator_email=OPERATOR_EMAIL,
        operator_password="operator-password-e2e",
    )
    yield await DemoBuilder(options).build(), connection


async def put_policy(client: MSPVaultClient, org_id: str, policy: int, data: dict[str, Any] | None = None) -> None:
    await client._request("PUT", f"/api/organizations/{org_id}/policies/{policy}", json={"enabled": True, "data": data})


async def test_bob_recovers_carols_account_and_she_opens_everything_with_the_new_password(
    world: tuple[DemoWorld, Connection], system: System
) -> None:
    data, connection = world
    bob, carol = await log_in(connection, data.bob), await log_in(connection, data.carol)
    org = data.contoso_id
    try:
        await put_policy(bob, org, SINGLE_ORG)
        await put_policy(bob, org, ACCOUNT_RECOVERY, {"autoEnrollEnabled": False})

        # Carol keeps a personal item beside Contoso's, and enrols (her user key wrapped to Contoso's public key).
        personal = await carol.vault.create_cipher(PlainCipher("Carol's bank", Login("carol", "bank-pass")))
        before = {p.id: p for p in carol.vault.decrypt_all(await carol.vault.sync())}
        assert any(p.organization_id == org for p in before.values())
        with pytest.raises(ApiError) as not_enrolled:
            await bob.organizations.recover_account(org, data.carol_member_id, data.carol.email, NEW_PASSWORD)
        assert not_enrolled.value.status == 400
        await carol.organizations.enroll_in_account_recovery(org)
        members = {m["id"]: m for m in await bob.organizations.list_members(org)}
        assert members[data.carol_member_id]["resetPasswordEnrolled"] is True

        # Someone with no standing in Contoso learns nothing: 404 for the details and for the reset.
        async with await sign_up(
            connection, Person("Mallory", f"mallory-{uuid.uuid4().hex[:8]}@evil.example", "m-pass-123456")
        ) as mallory:
            for method, suffix in (("GET", "reset-password-details"), ("PUT", "reset-password")):
                with pytest.raises(ApiError) as hidden:
                    await mallory._request(
                        method,
                        f"/api/organizations/{org}/users/{data.carol_member_id}/{suffix}",
                        json={"newMasterPasswordHash": "x", "key": "2.a|b|c"} if method == "PUT" else None,
                    )
                assert hidden.value.status == 404

        old_token, old_refresh = carol.session.access_token, carol.session.refresh_token
        carol_id = carol.session.user_id
        await bob.organizations.recover_account(org, data.carol_member_id, data.carol.email, NEW_PASSWORD)

        # Every session of Carol's ends: her old refresh token fails at once, her access token within the watch.
        with pytest.raises(ApiError) as refresh:
            await carol.refresh()
        assert refresh.value.status == 400

        async def old_token_refused() -> bool:
            carol.session.access_token = old_token
            try:
                await carol.vault.sync()
            except ApiError as error:
                return error.status == 401
            return False

        await wait_until(old_token_refused, timeout=30, message="Carol's old access token refused")
        assert old_refresh is not None
        with pytest.raises(ApiError):
            await log_in(connection, data.carol)  # the forgotten password no longer opens anything

        # The admin's password opens her vault, but her client must make her choose her own (ForcePasswordReset,
        # in the login and the profile); her own password ends that session and clears the flag.
        recovered = Person(data.carol.name, data.carol.email, NEW_PASSWORD)
        async with await log_in(connection, recovered) as again:
            assert again.session.force_password_reset is True
            assert (await again.profile())["forcePasswordReset"] is True
            await again.update_temp_password(OWN_PASSWORD)
        own = Person(data.carol.name, data.carol.email, OWN_PASSWORD)
        async with await log_in(connection, own) as again:
            assert again.session.force_password_reset is False
            after = {p.id: p for p in again.vault.decrypt_all(await again.vault.sync())}
            assert after.keys() == before.keys()
            for item_id, plain in before.items():
                assert (after[item_id].name, after[item_id].content) == (plain.name, plain.content)
            assert after[personal.id or ""].content == Login("carol", "bank-pass")

        # Contoso's event log tells the story: enrolled (1506), the forgotten password refused (1005), recovered
        # by Bob for Acme (1508), logged in (1000), chose her own password (1008).
        async def carols_entries() -> dict[int, dict[str, Any]] | None:
            body = await bob._request("GET", f"/api/organizations/{org}/events")
            entries = {e["type"]: e for e in reversed(body["data"]) if e["userId"] == carol_id}
            return entries if {1506, 1005, 1508, 1000, 1008} <= entries.keys() else None

        entries = await wait_until(carols_entries, timeout=60, message="Carol's events in Contoso's log")
        assert (entries[1508]["actingUserId"], entries[1508]["providerId"]) == (bob.session.user_id, data.acme_id)
        assert entries[1508]["organizationUserId"] == data.carol_member_id
        assert entries[1005]["actingUserId"] == carol_id
    finally:
        await bob.aclose()
        await carol.aclose()


async def test_auto_enrolment_takes_the_key_at_accept_and_forbids_withdrawal(
    world: tuple[DemoWorld, Connection], system: System
) -> None:
    data, connection = world
    bob = await log_in(connection, data.bob)
    org = data.contoso_id
    erin = Person("Erin", f"erin-{uuid.uuid4().hex[:8]}@contoso.example", "erin-password-1234")
    try:
        await put_policy(bob, org, SINGLE_ORG)
        await put_policy(bob, org, ACCOUNT_RECOVERY, {"autoEnrollEnabled": True})
        async with await sign_up(connection, erin) as client:
            with pytest.raises(ApiError) as without_key:
                await invite_and_accept(bob, client, org, erin.email, system.mail_dir)
            assert without_key.value.status == 400
            assert "required" in without_key.value.message
            members = {m["email"]: m for m in await bob.organizations.list_members(org)}
            erin_id = members[erin.email]["id"]
            invitation = await _invitation(system, erin.email)
            await client.organizations.accept_invite(org, erin_id, invitation, enroll_in_account_recovery=True)
            members = {m["email"]: m for m in await bob.organizations.list_members(org)}
            assert members[erin.email]["resetPasswordEnrolled"] is True
            with pytest.raises(ApiError) as withdraw:
                await client.organizations.enroll_in_account_recovery(org, withdraw=True)
            assert withdraw.value.status == 400
    finally:
        await put_policy(bob, org, ACCOUNT_RECOVERY, {"autoEnrollEnabled": False})
        await bob.aclose()


async def _invitation(system: System, email: str) -> str:
    return (await wait_for_invitation(system.mail_dir, email, InviteKind.ORGANIZATION, timeout=30)).token


async def test_account_deletion_leaves_organizations_and_spares_the_only_provider_admin(
    world: tuple[DemoWorld, Connection], system: System
) -> None:
    """Session control (issue 11): Alice, Acme's only Provider Admin, may not delete her account (Bitwarden's
    refusal); Frank, a member of Contoso, may: his membership goes from Contoso's member list."""
    data, connection = world
    bob = await log_in(connection, data.bob)
    frank = Person("Frank", f"frank-{uuid.uuid4().hex[:8]}@contoso.example", "frank-password-1234")
    try:
        async with await log_in(connection, data.alice) as alice:
            with pytest.raises(ApiError) as refused:
                await alice.delete_account(data.alice.password)
            assert refused.value.status == 400
            assert "only owner of at least one provider" in refused.value.message
        await put_policy(bob, data.contoso_id, ACCOUNT_RECOVERY, {"autoEnrollEnabled": False})
        async with await sign_up(connection, frank) as client:
            member_id = await invite_and_accept(bob, client, data.contoso_id, frank.email, system.mail_dir)
            await client.delete_account(frank.password)

        async def gone() -> bool:
            return member_id not in {m["id"] for m in await bob.organizations.list_members(data.contoso_id)}

        await wait_until(gone, timeout=30, message="Frank's membership removed")
    finally:
        await bob.aclose()
