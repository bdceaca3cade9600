"""Two-step login and the personal API key with the official CLI (issue 14): `bw login EMAIL PASSWORD --method 0
--code NNNNNN` with an authenticator code, a wrong code refused without locking out the email method, and
`bw login --apikey` with BW_CLIENTID/BW_CLIENTSECRET, then `bw unlock` and the vault.

Each test registers its own account, so the demo's people are untouched."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyotp
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.mailbox import two_step_codes
from mspvault.client.onboarding import Connection, wait_for
from tests.interop.bwcli import Bw, CommandLog

if TYPE_CHECKING:
    from mspvault.deploy.system import System

PASSWORD = "correct horse battery staple " + secrets.token_hex(4)


@pytest_asyncio.fixture(loop_scope="session")
async def account(connection: Connection, bw_log: CommandLog) -> AsyncIterator[MSPVaultClient]:
    """A new account, logged in with our client, with one login item of its own."""
    email = f"twostep-{uuid.uuid4().hex[:10]}@interop.example"
    bw_log.secrets.add(PASSWORD)
    client = connection.client()
    await client.register(email, PASSWORD, name="Two Step")
    await client.login(email, PASSWORD)
    await client.vault.sync()
    yield client
    await client.aclose()


def new_bw(bw_js: Path, interop_system: System, bw_log: CommandLog, tmp_path: Path, who: str) -> Bw:
    return Bw(who, bw_js, tmp_path / f"{who}-{uuid.uuid4().hex[:6]}", interop_system.ca_path, bw_log)


def totp_for_the_next_request(key: str) -> str:
    """The code of the coming 30-second step: still within the server's window however the clock turns over
    while `bw` starts, and later than the code that enabled the authenticator (codes are single use)."""
    return pyotp.TOTP(key).at(time.time() + 30)


async def mailed_code(mail_dir: Path, email: str, already: int) -> str:
    async def arrived() -> bool:
        return len(two_step_codes(mail_dir, email)) > already

    await wait_for(arrived, what=f"a two-step login code mailed to {email}", timeout=60)
    return two_step_codes(mail_dir, email)[-1]


async def test_bw_logs_in_with_an_authenticator_code_and_a_wrong_one_leaves_email_open(
    account: MSPVaultClient, bw_js: Path, interop_system: System, bw_log: CommandLog, tmp_path: Path
) -> None:
    email = account.session.email
    mail_dir, server = interop_system.mail_dir, interop_system.gateway_url
    key = await account.account.new_authenticator_key(PASSWORD)
    await account.account.enable_authenticator(PASSWORD, key, pyotp.TOTP(key).now())
    before = len(two_step_codes(mail_dir, email))
    await account.account.send_email_setup_code(PASSWORD, email)
    await account.account.enable_email(PASSWORD, email, await mailed_code(mail_dir, email, before))
    assert sorted(await account.account.two_factor_providers()) == [0, 1]

    bw = new_bw(bw_js, interop_system, bw_log, tmp_path, "twostep")
    (await bw.run("config", "server", server)).ok()
    no_code = await bw.run("login", email, PASSWORD, "--raw")
    assert no_code.code != 0, f"a login without the second step succeeded: {no_code.detail()}"
    wrong = "000000" if totp_for_the_next_request(key) != "000000" else "111111"
    refused = await bw.run("login", email, PASSWORD, "--method", "0", "--code", wrong, "--raw")
    assert refused.code != 0, f"a wrong authenticator code was accepted: {refused.detail()}"
    assert "invalid" in (refused.stderr + refused.stdout).lower(), refused.detail()

    # The wrong code did not lock the account: the email method works on another device...
    by_mail = new_bw(bw_js, interop_system, bw_log, tmp_path, "twostep-email")
    (await by_mail.run("config", "server", server)).ok()
    before = len(two_step_codes(mail_dir, email))
    await account.account.request_login_code(PASSWORD)
    code = await mailed_code(mail_dir, email, before)
    by_mail.session = (
        (await by_mail.run("login", email, PASSWORD, "--method", "1", "--code", code, "--raw")).ok().strip()
    )
    assert by_mail.session
    bw_log.secrets.add(by_mail.session)

    # ...and so does the authenticator, with the right code (made now: the email step may have taken a minute).
    right = totp_for_the_next_request(key)
    bw.session = (await bw.run("login", email, PASSWORD, "--method", "0", "--code", right, "--raw")).ok().strip()
    bw_log.secrets.add(bw.session)
    assert (await bw.run("sync")).ok()
    status = (await bw.run("status")).json()
    assert (status["status"], status["userEmail"]) == ("unlocked", email)


async def test_bw_logs_in_with_the_personal_api_key_and_a_rotated_key_is_refused(
    account: MSPVaultClient, bw_js: Path, interop_system: System, bw_log: CommandLog, tmp_path: Path
) -> None:
    email = account.session.email
    server = interop_system.gateway_url
    key = await account.account.new_authenticator_key(PASSWORD)  # the API key skips the second step
    await account.account.enable_authenticator(PASSWORD, key, pyotp.TOTP(key).now())
    api_key = await account.account.api_key(PASSWORD)
    bw_log.secrets.add(api_key.client_secret)

    bw = new_bw(bw_js, interop_system, bw_log, tmp_path, "apikey")
    bw.extra_env = {"BW_CLIENTID": api_key.client_id, "BW_CLIENTSECRET": api_key.client_secret}
    (await bw.run("config", "server", server)).ok()
    (await bw.run("login", "--apikey")).ok()
    await bw.unlock(PASSWORD)
    status = (await bw.run("status")).json()
    assert (status["status"], status["userEmail"]) == ("unlocked", email)
    created = await bw.create(
        "item", {"type": 2, "name": "made with an API key", "secureNote": {"type": 0}, "notes": "n"}
    )
    assert created["name"] == "made with an API key"
    (await bw.run("logout")).ok()

    rotated = await account.account.api_key(PASSWORD, rotate=True)
    bw_log.secrets.add(rotated.client_secret)
    assert rotated.client_secret != api_key.client_secret
    old = await bw.run("login", "--apikey")
    assert old.code != 0, f"the rotated-away secret still logs in: {old.detail()}"
    bw.extra_env = {"BW_CLIENTID": rotated.client_id, "BW_CLIENTSECRET": rotated.client_secret}
    (await bw.run("login", "--apikey")).ok()
