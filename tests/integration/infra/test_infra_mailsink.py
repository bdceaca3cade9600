"""The development mail sink stores each message as a .eml file, envelope recipients included."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from mspvault.deploy.mailsink import MailSink, read_mail
from mspvault.shared.infra.net import free_port
from mspvault.shared.testing.wait import wait_until

pytestmark = pytest.mark.integration


def _send(port: int, message: EmailMessage, recipients: list[str]) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=recipients)


async def test_each_message_becomes_one_eml_file(tmp_path) -> None:
    stored: list[Path] = []
    port = free_port()
    async with MailSink(tmp_path / "mail", port=port, on_message=stored.append) as sink:
        for n in range(2):
            message = EmailMessage()
            message["From"] = "MSPVault <no-reply@mspvault.test>"
            message["To"] = "carol@contoso.test"
            message["Subject"] = f"Invitation {n} – join Contoso"
            message.set_content(f"Accept: https://127.0.0.1:8443/accept?token=t{n}")
            await asyncio.to_thread(_send, port, message, ["carol@contoso.test", "audit@mspvault.test"])
        await wait_until(lambda: len(stored) == 2, timeout=10, message="two stored messages")
        assert sink.port == port

    messages = read_mail(tmp_path / "mail")
    assert [m["Subject"] for m in messages] == ["Invitation 0 – join Contoso", "Invitation 1 – join Contoso"]
    assert messages[0]["To"] == "carol@contoso.test"
    assert messages[0]["X-Envelope-To"] == "carol@contoso.test, audit@mspvault.test"  # the BCC is visible here
    body = messages[1].get_body()
    assert body is not None
    assert "token=t1" in body.get_content()
    assert sorted(p.name for p in stored) == sorted(p.name for p in (tmp_path / "mail").glob("*.eml"))
