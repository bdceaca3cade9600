"""Invitations from the mail sink, generated secrets, the retry helper, and the `mspvault` command's error paths."""

import asyncio
import base64
import hashlib
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from mspvault.client import ApiError
from mspvault.client.api import MSPVaultClient
from mspvault.client.cli import app
from mspvault.client.demo import DemoOptions, demo_email, new_world
from mspvault.client.generators import generate_password, generate_ssh_key
from mspvault.client.mailbox import (
    InvitationNotFound,
    InviteKind,
    find_invitation,
    link_params,
    wait_for_invitation,
)
from mspvault.client.onboarding import Connection, eventually, invite_and_accept, join_organization
from mspvault.client.organizations import CollectionAccess

PROVIDER_LINK = (
    "https://127.0.0.1:8443/#/providers/accept-provider?providerId=p-1&providerUserId=pu-1"
    "&email=alice%40acme.example&token=abc.def"
)
ORG_LINK = (
    "https://127.0.0.1:8443/#/accept-organization?organizationId=o-1&organizationUserId=ou-1"
    "&email=carol%40contoso.example&organizationName=Contoso&token=t0k.en"
)


def store(mail_dir: Path, name: str, to: str, body: str, *, html: bool = False) -> Path:
    message = EmailMessage()
    message["To"] = to
    message["From"] = "no-reply@mspvault.example"
    message["Subject"] = "Join"
    message.set_content(body, subtype="html" if html else "plain", cte="quoted-printable")
    path = mail_dir / name
    path.write_bytes(bytes(message))
    return path


def test_link_params_reads_the_query_inside_the_fragment():
    assert link_params(PROVIDER_LINK) == {
        "providerId": "p-1",
        "providerUserId": "pu-1",
        "email": "alice@acme.example",
        "token": "abc.def",
    }
    assert link_params("https://x.example/accept?token=t&organizationUserId=1") == {
        "token": "t",
        "organizationUserId": "1",
    }


def test_the_newest_invitation_of_the_right_kind_for_the_recipient_wins(tmp_path):
    store(tmp_path, "20260101T000000Z-a.eml", "alice@acme.example", f"Accept:\n{PROVIDER_LINK}\n")
    store(tmp_path, "20260101T000001Z-b.eml", "carol@contoso.example", f"Accept:\n{ORG_LINK}\n")
    newer = PROVIDER_LINK.replace("pu-1", "pu-2").replace("abc.def", "new.token")
    store(tmp_path, "20260101T000002Z-c.eml", "alice@acme.example", f"Accept:\n{newer}.\n")

    alice = find_invitation(tmp_path, "Alice@Acme.example", InviteKind.PROVIDER)
    carol = find_invitation(tmp_path, "carol@contoso.example", InviteKind.ORGANIZATION)

    assert alice is not None
    assert (alice.provider_id, alice.membership_id, alice.token) == ("p-1", "pu-2", "new.token")
    assert carol is not None
    assert (carol.organization_id, carol.membership_id, carol.token) == ("o-1", "ou-1", "t0k.en")
    assert find_invitation(tmp_path, "carol@contoso.example", InviteKind.PROVIDER) is None
    assert find_invitation(tmp_path, "dave@globex.example", InviteKind.ORGANIZATION) is None


def test_html_mail_with_escaped_ampersands_is_understood(tmp_path):
    store(tmp_path, "1.eml", "carol@contoso.example", f'<a href="{ORG_LINK.replace("&", "&amp;")}">Join</a>', html=True)

    invitation = find_invitation(tmp_path, "carol@contoso.example", InviteKind.ORGANIZATION)

    assert invitation is not None
    assert invitation.token == "t0k.en"
    assert invitation.params["organizationName"] == "Contoso"


async def test_waiting_for_an_invitation_sees_mail_that_arrives_later(tmp_path):
    async def deliver_soon() -> None:
        await asyncio.sleep(0.1)
        store(tmp_path, "1.eml", "alice@acme.example", PROVIDER_LINK)

    delivery = asyncio.create_task(deliver_soon())
    invitation = await wait_for_invitation(tmp_path, "alice@acme.example", InviteKind.PROVIDER, interval=0.02)
    await delivery

    assert invitation.membership_id == "pu-1"


async def test_an_invitation_that_never_arrives_names_the_recipient(tmp_path):
    with pytest.raises(InvitationNotFound, match=r"bob@acme\.example"):
        await wait_for_invitation(tmp_path, "bob@acme.example", InviteKind.PROVIDER, timeout=0.05, interval=0.01)


def test_generated_passwords_are_long_and_distinct():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(len(p) == 23 and p.count("-") == 3 for p in passwords)


def test_generated_ssh_keys_load_and_the_fingerprint_matches_the_public_key():
    pair = generate_ssh_key("deploy@contoso")

    private = serialization.load_ssh_private_key(pair.private_key.encode(), password=None)
    kind, blob, comment = pair.public_key.split()
    assert kind == "ssh-ed25519"
    assert comment == "deploy@contoso"
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert public.decode() == f"{kind} {blob}"
    digest = base64.b64encode(hashlib.sha256(base64.b64decode(blob)).digest()).decode().rstrip("=")
    assert pair.fingerprint == f"SHA256:{digest}"


async def test_eventually_retries_only_the_not_yet_statuses():
    answers: list[object] = [ApiError(404, "unknown"), ApiError(404, "unknown"), "done"]

    async def flaky() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    assert await eventually(flaky, timeout=5, interval=0) == "done"

    async def refused() -> str:
        raise ApiError(400, "bad input")

    with pytest.raises(ApiError) as caught:
        await eventually(refused, timeout=5, interval=0)
    assert caught.value.status == 400


async def test_eventually_gives_up_with_the_last_error():
    async def never() -> None:
        raise ApiError(404, "still unknown")

    with pytest.raises(ApiError, match="still unknown"):
        await eventually(never, timeout=0.05, interval=0.01)


def test_demo_emails_carry_the_tag_and_every_person_gets_an_own_password(tmp_path):
    world = new_world(DemoOptions(Connection("https://gw.example"), tmp_path, tag="t1"))

    assert world.alice.email == "alice.t1@acme.example" == demo_email("alice", "acme.example", "t1")
    assert world.carol.email == "carol.t1@contoso.example"
    assert len({person.password for person in world.people}) == len(world.people)
    assert all(person.password not in repr(person) for person in world.people)


# --- the command ------------------------------------------------------------------------------------------


def test_demo_without_the_ca_fails_with_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--mail-dir", str(tmp_path), "--ca", str(tmp_path / "missing.pem")])

    assert result.exit_code == 1
    assert "no CA certificate" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_gateway_is_reported_without_a_traceback(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text(_SELF_SIGNED_CA)

    result = CliRunner().invoke(
        app,
        ["register", "x@example.com", "--generate", "--server", "https://127.0.0.1:9", "--ca", str(ca)],
    )

    assert result.exit_code == 1
    assert "cannot reach the gateway" in result.output
    assert "Traceback" not in result.output


def test_plain_http_is_refused():
    result = CliRunner().invoke(app, ["register", "x@example.com", "--generate", "--server", "http://127.0.0.1:1"])

    assert result.exit_code == 1
    assert "https://" in result.output


def _make_ca() -> str:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


_SELF_SIGNED_CA = _make_ca()


def test_add_operator_without_a_database_names_both_ways(monkeypatch):
    monkeypatch.delenv("MSPVAULT_IDENTITY_DATABASE_URL", raising=False)

    result = CliRunner().invoke(app, ["add-operator", "ops@example.com"])

    assert result.exit_code == 1
    assert "--database-url" in result.output
    assert "MSPVAULT_IDENTITY_OPERATORS" in result.output


class StandInOrganizations:
    """The organization calls `join_organization` makes, recorded; inviting drops the invite mail in the sink."""

    def __init__(self, mail_dir: Path, calls: list[tuple[str, ...]]) -> None:
        self.mail_dir, self.calls = mail_dir, calls

    async def invite_members(self, organization_id, emails, member_type, *, collections=()):
        self.calls.append(("invite", organization_id, *emails, str(len(collections))))
        store(self.mail_dir, "0001.eml", emails[0], f"Join Contoso: {ORG_LINK}")

    async def accept_invite(self, organization_id, member_id, token):
        self.calls.append(("accept", organization_id, member_id, token))

    async def confirm_member(self, organization_id, member_id):
        self.calls.append(("confirm", organization_id, member_id))


@pytest.mark.parametrize("confirm", [True, False])
async def test_joining_an_organization_invites_accepts_with_the_mailed_token_and_confirms_when_asked(tmp_path, confirm):
    calls: list[tuple[str, ...]] = []
    organizations = StandInOrganizations(tmp_path, calls)
    admin, member = SimpleNamespace(organizations=organizations), SimpleNamespace(organizations=organizations)

    member_id = await join_organization(
        cast(MSPVaultClient, admin),
        cast(MSPVaultClient, member),
        "o-1",
        "carol@contoso.example",
        tmp_path,
        collections=[CollectionAccess("c-1")],
        confirm=confirm,
        timeout=2,
    )

    assert member_id == "ou-1"
    expected = [("invite", "o-1", "carol@contoso.example", "1"), ("accept", "o-1", "ou-1", "t0k.en")]
    assert calls == expected + ([("confirm", "o-1", "ou-1")] if confirm else [])


async def test_invite_and_accept_stops_before_the_confirm(tmp_path):
    calls: list[tuple[str, ...]] = []
    stand_in = cast(MSPVaultClient, SimpleNamespace(organizations=StandInOrganizations(tmp_path, calls)))

    assert await invite_and_accept(stand_in, stand_in, "o-1", "carol@contoso.example", tmp_path, timeout=2) == "ou-1"
    assert [call[0] for call in calls] == ["invite", "accept"]
