"""The one mail sink: an SMTP server that keeps every message instead of delivering it, in memory (`sink.messages`)
and, given a directory, as `.eml` files. The local launcher and the test harnesses all use it.

Invitations are e-mails; in development they land under `<data dir>/mail/`, one file per message, named so that
sorting by name is sorting by arrival. `python -m mspvault.deploy.mailsink` runs it alone
(MSPVAULT_SMTP_HOST, default 127.0.0.1; MSPVAULT_SMTP_PORT, default 2525; MSPVAULT_DATA_DIR, default .mspvault).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import email.policy
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

MessageCallback = Callable[[Path], None]


@dataclass(frozen=True)
class ReceivedMail:
    """One message as tests read it: the envelope's recipients (BCC included), the subject, the text body."""

    to: list[str]
    subject: str
    body: str
    message: EmailMessage


class _StoreHandler:
    """aiosmtpd handler: keep the message in memory and, given a directory, write it with its envelope as
    X-Envelope-* headers."""

    def __init__(self, mail_dir: Path | None, on_message: MessageCallback | None) -> None:
        self._mail_dir = mail_dir
        self._on_message = on_message
        self.received: list[ReceivedMail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode()
        self.received.append(_received(list(envelope.rcpt_tos), content))
        if self._mail_dir is not None:
            headers = f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
            path = store_message(self._mail_dir, headers.encode() + content)
            if self._on_message is not None:
                self._on_message(path)
        return "250 Message accepted for delivery"


def _received(to: list[str], content: bytes) -> ReceivedMail:
    message = _parse(content)
    body = message.get_body(preferencelist=("plain",))
    return ReceivedMail(to, str(message["Subject"] or ""), body.get_content() if body else "", message)


def _parse(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)  # guaranteed by policy.default; narrows the type
    return parsed


def store_message(mail_dir: Path, data: bytes) -> Path:
    """Write `data` atomically (temp name, then rename) so a reader never sees half a message."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    tmp = mail_dir / f".{path.name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def read_mail(mail_dir: Path) -> list[EmailMessage]:
    """Every stored message, oldest first, parsed with the modern policy (`msg["To"]`, `msg.get_body()`)."""
    messages: list[EmailMessage] = []
    for path in sorted(mail_dir.glob("*.eml")):
        messages.append(_parse(path.read_bytes()))
    return messages


class MailSink:
    """The SMTP server on the running event loop; `async with MailSink(dir) as sink:` or start()/stop().

    It may be stopped and started again on the same port (a simulated outage); `messages` survives that.
    """

    def __init__(
        self,
        mail_dir: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 2525,
        on_message: MessageCallback | None = None,
    ) -> None:
        self.mail_dir = mail_dir
        self.host = host
        self.port = port
        self._handler = _StoreHandler(mail_dir, on_message)
        self._server: asyncio.Server | None = None

    @property
    def messages(self) -> list[ReceivedMail]:
        """Every message received so far, oldest first."""
        return self._handler.received

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.messages if address in mail.to]

    async def start(self) -> None:
        if self.mail_dir is not None:
            self.mail_dir.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            # An explicit hostname: without one aiosmtpd asks DNS for our FQDN on every connection.
            lambda: SMTP(self._handler, hostname="mspvault-mailsink", enable_SMTPUTF8=True, loop=loop),
            self.host,
            self.port,
        )

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()

    async def __aenter__(self) -> MailSink:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def _serve() -> None:
    data_dir = Path(os.environ.get("MSPVAULT_DATA_DIR", ".mspvault"))
    host = os.environ.get("MSPVAULT_SMTP_HOST", "127.0.0.1")
    port = int(os.environ.get("MSPVAULT_SMTP_PORT", "2525"))
    mail_dir = data_dir / "mail"
    async with MailSink(mail_dir, host=host, port=port, on_message=lambda p: print(f"mail stored: {p}", flush=True)):
        print(f"SMTP sink on {host}:{port}, storing messages under {mail_dir.resolve()}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the way to stop it
        asyncio.run(_serve())
