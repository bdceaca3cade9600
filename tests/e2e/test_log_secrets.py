"""Secrets never reach a log (issue 11; house style habit 13): after everything else in the run, the log of every
service replica and gateway worker (each child's output, kept by the launcher under `<data dir>/logs/<name>.log`,
here test-artifacts/system-<run>/logs/) is scanned for

- the exact secrets the run handled that we know: the master password hashes (and passwords) of the attack world's
  people, their access and refresh tokens, and every token of every link mailed during the run (invitations,
  email verification), read back from the mail sink;
- anything shaped like a secret, whoever it belonged to: an EncString (`2.iv|data|mac`, an encrypted key or item
  field), a JWT, a PEM block or a DER key in base64.

It runs last (tests/conftest.py orders it), so it reads what the whole run wrote; run alone it still reads what the
attack world's setup wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mspvault.client.crypto import derive_master_key, master_password_hash
from mspvault.client.mailbox import link_params
from mspvault.shared.testing.samples import enc_string, public_key
from tests.e2e.conftest import Attack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

SHAPES = {
    "EncString": re.compile(r"\b\d\.[A-Za-z0-9+/]{16,}={0,2}\|[A-Za-z0-9+/]{16,}={0,2}"),
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    "PEM block": re.compile(r"-----BEGIN [A-Z ]*(PRIVATE )?KEY-----"),
    "DER key in base64": re.compile(r"\bMII[A-Za-z0-9+/]{120,}"),
}
MAIL_LINK = re.compile(r"https?://[^\s\"'<>]+")
SHORTEST_TOKEN = 16  # mailed one-time codes (6 digits) are too short to tell from a number in a log line


def log_files(attack: Attack) -> list[Path]:
    names = [*attack.system.gateway_names, *(n for ns in attack.system.replica_names.values() for n in ns)]
    files = [attack.system.logs_dir / f"{name}.log" for name in names]
    assert all(path.is_file() for path in files), files
    return files


def mailed_tokens(mail_dir: Path) -> set[str]:
    tokens = set()
    for message in mail_dir.glob("*.eml"):
        text = message.read_text(errors="replace").replace("=\n", "")  # undo quoted-printable soft breaks
        for link in MAIL_LINK.findall(text):
            token = link_params(link.replace("&amp;", "&").replace("=3D", "=")).get("token", "")
            if len(token) >= SHORTEST_TOKEN:
                tokens.add(token)
    return tokens


def known_secrets(attack: Attack) -> dict[str, str]:
    known: dict[str, str] = {}
    sessions = {"Dave": attack.dave, "Carol": attack.carol, "Alice": attack.alice}
    kdf = attack.dave.session.kdf  # every person of the world registered with the connection's KDF
    for person in attack.world.people:
        key = derive_master_key(person.password, person.email, kdf)
        known[f"{person.name}'s master password hash"] = master_password_hash(key, person.password)
        known[f"{person.name}'s master password"] = person.password
    for name, client in sessions.items():
        known[f"{name}'s access token"] = client.session.access_token
        if client.session.refresh_token:
            known[f"{name}'s refresh token"] = client.session.refresh_token
    for n, token in enumerate(sorted(mailed_tokens(attack.system.mail_dir))):
        known[f"mailed link token #{n}"] = token
    return known


def test_the_shapes_recognise_what_they_look_for() -> None:
    assert SHAPES["EncString"].search(f"cipher {enc_string()} stored")
    assert SHAPES["DER key in base64"].search(f'"publicKey": "{public_key()}"')
    assert not any(shape.search('{"event": "login.succeeded", "user_id": "0b9c…"}') for shape in SHAPES.values())


async def test_no_secret_reaches_a_service_or_gateway_log(attack: Attack) -> None:
    known = known_secrets(attack)
    assert any(name.startswith("mailed link token") for name in known)  # the world's invitations were read
    assert SHAPES["JWT"].search(attack.dave.session.access_token)
    found: list[str] = []
    for path in log_files(attack):
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            where = f"{path.name}:{number}"
            found += [f"{where}: {name}" for name, secret in known.items() if secret in line]
            found += [f"{where}: {shape} {m.group()[:12]}…" for shape, rx in SHAPES.items() if (m := rx.search(line))]
    assert not found, "\n".join(found[:50])
