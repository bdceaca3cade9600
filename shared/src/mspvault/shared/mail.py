"""Mail that is never lost: queued as a row in the same transaction as the state change, sent by a retrying loop.

`make up` runs a development SMTP sink that keeps each message as a file; production points at a real relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import Callable, Coroutine
from dataclasses import KW_ONLY, dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import aiosmtplib
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.shared.db.rows import insert_into
from mspvault.shared.observability.logging import get_logger

if TYPE_CHECKING:  # the runtime imports no mail code; this keeps it so
    from mspvault.shared.runtime import Runtime

log = get_logger(__name__)

SENDER_ADDRESS = "no-reply@mspvault.local"  # the envelope's sender, for messages sent as ready bytes
SENDER = f"MSPVault <{SENDER_ADDRESS}>"


def mail_table(metadata: MetaData) -> Table:
    return Table(
        "mail_outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("recipient", String(320), nullable=False),
        Column("subject", String(300), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Index("ix_mail_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
    )


async def queue_mail(session: AsyncSession, table: Table, *, to: str, subject: str, body: str) -> None:
    """Queue a message inside the caller's transaction; it goes out only if that transaction commits."""
    await session.execute(insert_into(table), {"recipient": to, "subject": subject, "body": body})


# A message that fails this many times for a reason of its own is set aside: kept (with its error and count, for
# operators) but no longer tried, so one bad row cannot hold back every mail queued after it (issue 11 #3).
MAX_ATTEMPTS = 5


def _build(row: Any) -> EmailMessage:
    """Raises ValueError on a header the email package refuses (a line break in a name, say)."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message.set_content(row.body)
    return message


# What needs no encoding: a plain address, a subject of printable ASCII, an ASCII body whose lines fit an SMTP line.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_PLAIN_HEADER = re.compile(r"[!-~](?:[ -~]{0,898}[!-~])?")
_PLAIN_BODY = re.compile(r"(?:[ -~\t]{0,998}\n)*[ -~\t]{0,998}")


def plain_bytes(row: Any) -> bytes | None:
    """The message as it goes on the wire, when it needs no encoding (every invite and code we send), else None
    (then `_build` encodes it). The email package took ~3 ms of CPU to build and flatten each message, about a tenth
    of the organization's CPU per client created; this says the same in 7bit, which the SMTP sink and any mail
    reader parse to the same sender, recipient, subject and text."""
    recipient, subject, body = row.recipient, row.subject, row.body
    if not (_PLAIN_ADDRESS.fullmatch(recipient) and _PLAIN_HEADER.fullmatch(subject) and _PLAIN_BODY.fullmatch(body)):
        return None
    text = body.replace("\n", "\r\n")
    if not text.endswith("\r\n"):
        text += "\r\n"
    return (
        f"From: {SENDER}\r\nTo: {recipient}\r\nSubject: {subject}\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 7bit\r\nMIME-Version: 1.0\r\n'
        f"\r\n{text}"
    ).encode("ascii")


def _is_the_message(error: Exception) -> bool:
    """Whether the failure is this message's own (retrying it will not help) rather than the relay being away."""
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return 500 <= error.code < 600
    return not isinstance(error, aiosmtplib.SMTPException | OSError)


def waiting(table: Table) -> Any:
    """Rows the loop will still try."""
    return and_(table.c.sent_at.is_(None), table.c.attempts < MAX_ATTEMPTS)


def set_aside(table: Table) -> Any:
    """Rows the loop gave up on: not sent, out of attempts."""
    return and_(table.c.sent_at.is_(None), table.c.attempts >= MAX_ATTEMPTS)


@dataclass
class MailSender:
    """Sends queued mail in id order. The relay being away keeps the row (with its error) and retries it with
    backoff, in order; a failure of the message itself counts an attempt, and after `MAX_ATTEMPTS` (at once for a
    message that cannot even be built) the row is set aside and the loop moves on."""

    session_factory: async_sessionmaker[AsyncSession]
    table: Table
    _: KW_ONLY
    smtp_host: str
    smtp_port: int
    poll_seconds: float = 0.2
    _local_hostname: str | None = field(default=None, init=False)

    async def run(self, stop: asyncio.Event) -> None:
        backoff = self.poll_seconds
        while not stop.is_set():
            try:
                sent_all = await self.send_pending()
                backoff = self.poll_seconds if sent_all else min(backoff * 2, 10.0)
            except Exception as error:  # the database may be away; keep trying
                log.warning("mail.loop_error", error=repr(error))
                backoff = min(backoff * 2, 10.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)

    async def send_pending(self, limit: int = 50) -> bool:
        """Try every unsent message once, over one connection to the relay; True when none failed."""
        table = self.table
        async with self.session_factory() as session:
            rows = (
                await session.execute(
                    select(table.c.id, table.c.recipient, table.c.subject, table.c.body)
                    .where(waiting(table))
                    .order_by(table.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            ok = True
            relay: aiosmtplib.SMTP | None = None
            sent: list[int] = []  # marked in one statement, committed with the rest of the pass
            try:
                for row in rows:
                    plain = plain_bytes(row)
                    try:
                        message = plain if plain is not None else _build(row)
                    except Exception as error:  # never deliverable as it is: set aside now
                        log.error("mail.set_aside", mail_id=row.id, error=repr(error))
                        await session.execute(
                            update(table)
                            .where(table.c.id == row.id)
                            .values(attempts=MAX_ATTEMPTS, last_error=repr(error)[:500])
                        )
                        continue
                    try:
                        relay = relay or await self._connect()
                        # A refused message leaves the connection usable (aiosmtplib resets the envelope).
                        if isinstance(message, bytes):
                            await relay.sendmail(SENDER_ADDRESS, [row.recipient], message)
                        else:
                            await relay.send_message(message)
                    except Exception as error:
                        ok = False
                        own = _is_the_message(error)
                        await session.execute(
                            update(table)
                            .where(table.c.id == row.id)
                            .values(
                                attempts=table.c.attempts + 1 if own else table.c.attempts,
                                last_error=repr(error)[:500],
                            )
                        )
                        if own:
                            continue  # counted; the rest of the queue goes on
                        break  # the relay is away: keep order, later mail waits for this one
                    sent.append(row.id)
            finally:
                if relay is not None:
                    with contextlib.suppress(Exception):
                        await relay.quit()
            if sent:
                await session.execute(
                    update(table).where(table.c.id.in_(sent)).values(sent_at=func.now(), attempts=table.c.attempts + 1)
                )
            await session.commit()
            return ok

    async def _connect(self) -> aiosmtplib.SMTP:
        """A connection to the relay. Our host name is looked up once (aiosmtplib would ask the resolver on every
        connection, on a thread: a client organization's creation sends an invite, so it was once per client)."""
        if self._local_hostname is None:
            self._local_hostname = await asyncio.to_thread(socket.getfqdn)
        relay = aiosmtplib.SMTP(
            hostname=self.smtp_host, port=self.smtp_port, timeout=10, local_hostname=self._local_hostname
        )
        await relay.connect()
        return relay


def mail_loop(
    table: Table, *, smtp_host: str, smtp_port: int
) -> Callable[[Runtime, asyncio.Event], Coroutine[Any, Any, None]]:
    """The background loop a mailing service hands to `ServiceParts.background`."""

    async def send_mail(runtime: Runtime, stop: asyncio.Event) -> None:
        await MailSender(runtime.session_factory, table, smtp_host=smtp_host, smtp_port=smtp_port).run(stop)

    return send_mail
