"""Mail that needs no encoding goes out as written (`plain_bytes`); it must read back as the email package's own
message would: same sender, recipient, subject and text. Anything else is left to the email package."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from types import SimpleNamespace

import pytest
from aiosmtplib.email import flatten_message

from mspvault.shared.mail import _build, plain_bytes

INVITE = (
    "You have been invited to join the organization Contoso on MSPVault.\n\n"
    "Accept the invitation (valid for 5 days, usable once):\n"
    f"https://vault.example.test/#/accept-organization?organizationId=1&token={'x' * 400}\n\n"
    ".a line that starts with a period\n"
    "If you do not have an account yet, create one with this email address first.\n"
)


def _read(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _seen(message: EmailMessage) -> tuple[str, str, str, str, str]:
    return (
        str(message["From"]),
        str(message["To"]),
        str(message["Subject"]),
        message.get_content_type(),
        message.get_content(),
    )


@pytest.mark.parametrize(
    ("recipient", "subject", "body"),
    [
        ("owner-17@example.test", "Join Contoso", INVITE),
        ("o'brien+vault@mail.example.test", "Join A & B (EU) = 100% {ok}", "no final newline"),
        ("a@b.test", "Your code: 123456", "\ttabbed\n\nblank lines above\n"),
        ("a@b.test", "Join " + "n" * 300, ""),
    ],
)
def test_plain_mail_reads_back_as_the_email_package_writes_it(recipient: str, subject: str, body: str) -> None:
    row = SimpleNamespace(recipient=recipient, subject=subject, body=body)
    plain = plain_bytes(row)
    assert plain is not None
    assert b"Content-Transfer-Encoding: 7bit\r\n" in plain
    assert _seen(_read(plain)) == _seen(_read(flatten_message(_build(row))))


@pytest.mark.parametrize(
    ("recipient", "subject", "body"),
    [
        ("a@b.test", "Join Café", "hello"),  # a subject that needs encoding
        ("a@b.test", "Join Evil\nBcc: everyone@example.test", "hello"),  # a line break: the email package refuses
        ("a@b.test", "Join Odd\x85Name", "hello"),
        ("Owner <a@b.test>", "Join", "hello"),  # not a bare address
        ("a@b.test", " Join", "hello"),  # spaces the header would not keep
        ("a@b.test", "Join", "naïve"),  # a body that needs encoding
        ("a@b.test", "Join", "x" * 999),  # a line longer than SMTP carries
        ("a@b.test", "Join", "carriage\rreturn"),
    ],
)
def test_anything_else_is_left_to_the_email_package(recipient: str, subject: str, body: str) -> None:
    assert plain_bytes(SimpleNamespace(recipient=recipient, subject=subject, body=body)) is None
