"""Account recovery and a master-password change, checked with the official `bw` CLI (issues 14 and 11): the key
material our library makes (the admin's client opening the member's user key with Contoso's private key; a user
re-wrapping their own) is what the official client unlocks with the new password, and the old session ends.

The CLI has no command to enrol, recover or change a password; it has `login`, `sync` and `list`, which these use.
A recovered account carries `ForcePasswordReset`, at which `bw login` would stop to ask for a new password, so Grace
chooses her own with our client (update-temp-password) before the CLI logs in with it. Grace and Henry are
newcomers, so the shared demo people keep their passwords; Contoso's Account Recovery and Single Organization
policies are turned off again at the end."""

from __future__ import annotations

import uuid
from typing import Any

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Login, PlainCipher
from mspvault.client.demo import DemoWorld
from mspvault.client.onboarding import Connection, Person, invite_and_accept, log_in, sign_up
from mspvault.client.organizations import CollectionAccess
from mspvault.deploy.system import System
from tests.interop.bwcli import ids
from tests.interop.conftest import BwLogin

SINGLE_ORG, ACCOUNT_RECOVERY = 3, 8


async def set_policy(
    client: MSPVaultClient, org_id: str, policy: int, enabled: bool, data: dict[str, Any] | None = None
) -> None:
    await client._request(
        "PUT", f"/api/organizations/{org_id}/policies/{policy}", json={"enabled": enabled, "data": data}
    )


def newcomer(name: str) -> Person:
    return Person(
        name, f"{name.lower()}-{uuid.uuid4().hex[:8]}@contoso.example", f"{name}-old-password-{uuid.uuid4().hex[:6]}"
    )


async def test_bw_opens_a_recovered_account_with_the_new_password_and_the_old_session_ends(
    bw_login: BwLogin, world: DemoWorld, connection: Connection, interop_system: System
) -> None:
    org, helpdesk = world.contoso_id, world.collections["Helpdesk"]
    grace = newcomer("Grace")
    bob = await log_in(connection, world.bob)
    try:
        await set_policy(bob, org, SINGLE_ORG, True)
        await set_policy(bob, org, ACCOUNT_RECOVERY, True, {"autoEnrollEnabled": False})
        async with await sign_up(connection, grace) as client:
            member_id = await invite_and_accept(
                bob, client, org, grace.email, interop_system.mail_dir, collections=[CollectionAccess(helpdesk)]
            )
            await client.organizations.enroll_in_account_recovery(org)
            await bob.organizations.confirm_member(org, member_id)
            personal = await client.vault.create_cipher(PlainCipher("Grace's bank", Login("grace", "bank-pass")))

        old_session = await bw_login(grace)
        assert personal.id in ids(await old_session.list("items"))
        new_password = f"grace-new-password-{uuid.uuid4().hex[:6]}"
        own_password = f"grace-own-password-{uuid.uuid4().hex[:6]}"
        await bob.organizations.recover_account(org, member_id, grace.email, new_password)

        assert (await old_session.run("sync")).code != 0  # its refresh token and access token are over

        # The admin's password opens the account, and the flag makes her choose her own (the CLI cannot: it
        # asks for it interactively), re-wrapping the user key she opened with the key material Bob's client made.
        async with await log_in(connection, Person(grace.name, grace.email, new_password)) as recovered:
            assert recovered.session.force_password_reset is True
            await recovered.update_temp_password(own_password)
        bw = await bw_login(Person(grace.name, grace.email, own_password))
        item = await bw.get_item(personal.id or "")
        assert (item["name"], item["login"]["password"]) == ("Grace's bank", "bank-pass")
        in_org = ids(await bw.list("items", "--organizationid", org))
        assert set(world.collection_items["Helpdesk"]) <= in_org
    finally:
        await set_policy(bob, org, ACCOUNT_RECOVERY, False)
        await set_policy(bob, org, SINGLE_ORG, False)
        await bob.aclose()


async def test_bw_logs_in_with_a_changed_master_password_and_the_old_session_ends(
    bw_login: BwLogin, connection: Connection
) -> None:
    henry = newcomer("Henry")
    async with await sign_up(connection, henry) as client:
        item = await client.vault.create_cipher(PlainCipher("Henry's router", Login("admin", "router-pass")))
        old_session = await bw_login(henry)
        new_password = f"henry-new-password-{uuid.uuid4().hex[:6]}"
        await client.change_master_password(henry.password, new_password)

    assert (await old_session.run("sync")).code != 0
    bw = await bw_login(Person(henry.name, henry.email, new_password))
    opened = await bw.get_item(item.id or "")
    assert (opened["name"], opened["login"]["password"]) == ("Henry's router", "router-pass")
