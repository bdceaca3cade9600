"""Two-step login: a user's second factors (authenticator app, email codes), the recovery code that turns them all
off, and the devices a user asked to be remembered. Pure: the codes are checked here, stored by the repository.

Bitwarden's facts kept: provider numbers (`TwoFactorProviderType`), TOTP per RFC 6238 with 30-second steps, six
digits, SHA-1 and one step of drift either way; a recovery code of 32 characters shown on request; remembered
devices skip the second step for 30 days.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

import pyotp

from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.identity import TwoFactorDisabledV1, TwoFactorEnabledV1, TwoFactorRecoveredV1
from mspvault.shared.errors import DomainError

TOTP_STEP_SECONDS = 30
TOTP_DRIFT_STEPS = 1
MIN_AUTHENTICATOR_KEY_CHARS = 16  # 80 bits of base32, RFC 4226's floor; ours are 32 (160 bits, as Bitwarden's)
MAX_AUTHENTICATOR_KEY_CHARS = 128
EMAIL_CODE_LIFETIME = timedelta(minutes=10)
REMEMBER_LIFETIME = timedelta(days=30)
RECOVERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)
RECOVERY_CODE_CHARS = 32
_BASE32 = re.compile(r"[A-Z2-7]+=*")
_DIGITS = re.compile(r"[0-9]{6}")


class TwoFactorProvider(IntEnum):
    """Bitwarden's `TwoFactorProviderType` numbers (the ones we serve)."""

    AUTHENTICATOR = 0
    EMAIL = 1
    REMEMBER = 5
    RECOVERY_CODE = 8


# Providers a user enables; Remember and the recovery code are ways in, not providers one turns on.
ENABLEABLE = (TwoFactorProvider.AUTHENTICATOR, TwoFactorProvider.EMAIL)


class InvalidTwoFactorToken(DomainError, message="Invalid token.", field="token"):
    """Bitwarden's wording for a wrong code, at enabling as at login."""


class InvalidAuthenticatorKey(DomainError, message="The key must be base32 (16 to 128 characters).", field="key"): ...


class UnknownTwoFactorProvider(DomainError, message="Two-step login provider not supported.", field="type"): ...


def new_authenticator_key() -> str:
    """160 random bits in base32, what authenticator apps take (Bitwarden makes the same size)."""
    return pyotp.random_base32(32)


def normalize_authenticator_key(key: str) -> str:
    cleaned = key.replace(" ", "").upper()
    if not (MIN_AUTHENTICATOR_KEY_CHARS <= len(cleaned) <= MAX_AUTHENTICATOR_KEY_CHARS) or not _BASE32.fullmatch(
        cleaned
    ):
        raise InvalidAuthenticatorKey()
    return cleaned


def new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_CHARS))


def normalize_code(code: str) -> str:
    """What the user typed, without the spaces and dashes apps and the web vault put in codes."""
    return code.replace(" ", "").replace("-", "").strip().upper()


def new_email_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def totp_step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_STEP_SECONDS


def matching_totp_step(key: str, code: str, now: datetime, after_step: int) -> int | None:
    """The step (within one either side of now) whose code `code` is, if later than `after_step`; else None. A code
    accepted once cannot be accepted again, nor can any older one (RFC 6238 §5.2)."""
    code = normalize_code(code)
    if not _DIGITS.fullmatch(code):
        return None
    totp = pyotp.TOTP(key)
    current = totp_step(now)
    found = None
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        # Every candidate is compared (no early exit), in constant time.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > after_step:
            found = step
    return found


@dataclass(frozen=True)
class PendingEmailCode:
    """A code mailed for one purpose (setting up an address, or logging in), kept as a digest until it expires."""

    email: str
    digest: str
    expires_at: datetime

    def matches(self, code: str, now: datetime) -> bool:
        return now < self.expires_at and hmac.compare_digest(self.digest, code_digest(normalize_code(code)))


@dataclass
class TwoFactor:
    """One user's second factors. Enabling or disabling records an event with the providers left on, which the
    organization service keeps (the Require two-step login policy reads it)."""

    user_id: uuid.UUID
    authenticator_key: str | None = None
    authenticator_last_step: int = 0
    email: str | None = None
    recovery_code: str | None = None
    email_setup: PendingEmailCode | None = None
    email_login: PendingEmailCode | None = None
    events: list[EventData] = field(default_factory=list, repr=False)

    @property
    def providers(self) -> list[TwoFactorProvider]:
        enabled = []
        if self.authenticator_key is not None:
            enabled.append(TwoFactorProvider.AUTHENTICATOR)
        if self.email is not None:
            enabled.append(TwoFactorProvider.EMAIL)
        return enabled

    @property
    def enabled(self) -> bool:
        return bool(self.providers)

    def is_on(self, provider: TwoFactorProvider) -> bool:
        return provider in self.providers

    def ensure_recovery_code(self) -> str:
        """The code that turns every provider off, made when first asked for (Bitwarden makes it on the first
        provider enabled, and shows it on request)."""
        if self.recovery_code is None:
            self.recovery_code = new_recovery_code()
        return self.recovery_code

    # ---- authenticator ------------------------------------------------------------------------------------------
    def enable_authenticator(self, key: str, code: str, now: datetime) -> None:
        key = normalize_authenticator_key(key)
        step = matching_totp_step(key, code, now, after_step=0)
        if step is None:
            raise InvalidTwoFactorToken()
        self.authenticator_key = key
        self.authenticator_last_step = step  # the code that enabled it is spent
        self.ensure_recovery_code()
        self._enabled(TwoFactorProvider.AUTHENTICATOR)

    def check_authenticator(self, code: str, now: datetime) -> bool:
        if self.authenticator_key is None:
            return False
        step = matching_totp_step(self.authenticator_key, code, now, after_step=self.authenticator_last_step)
        if step is None:
            return False
        self.authenticator_last_step = step
        return True

    # ---- email --------------------------------------------------------------------------------------------------
    def start_email_setup(self, email: str, now: datetime) -> str:
        code = new_email_code()
        self.email_setup = PendingEmailCode(email, code_digest(code), now + EMAIL_CODE_LIFETIME)
        return code

    def enable_email(self, email: str, code: str, now: datetime) -> None:
        pending = self.email_setup
        if pending is None or pending.email != email or not pending.matches(code, now):
            raise InvalidTwoFactorToken()
        self.email = email
        self.email_setup = None
        self.ensure_recovery_code()
        self._enabled(TwoFactorProvider.EMAIL)

    def start_email_login(self, now: datetime) -> str | None:
        """A fresh login code for the enabled address (it replaces any earlier one); None when email is off."""
        if self.email is None:
            return None
        code = new_email_code()
        self.email_login = PendingEmailCode(self.email, code_digest(code), now + EMAIL_CODE_LIFETIME)
        return code

    def check_email(self, code: str, now: datetime) -> bool:
        pending = self.email_login
        if self.email is None or pending is None or pending.email != self.email or not pending.matches(code, now):
            return False
        self.email_login = None  # single use
        return True

    # ---- turning off ---------------------------------------------------------------------------------------------
    def disable(self, provider: TwoFactorProvider) -> None:
        if provider not in ENABLEABLE:
            raise UnknownTwoFactorProvider()
        if not self.is_on(provider):
            return
        if provider is TwoFactorProvider.AUTHENTICATOR:
            self.authenticator_key = None
        else:
            self.email = None
            self.email_login = None
        self.events.append(
            TwoFactorDisabledV1(user_id=self.user_id, provider=int(provider), providers=self._provider_numbers())
        )

    def recover(self, code: str) -> bool:
        """The recovery code turns every provider off and is spent: a new one is made. False for a wrong code."""
        if self.recovery_code is None or not hmac.compare_digest(
            normalize_code(self.recovery_code), normalize_code(code)
        ):
            return False
        self.authenticator_key = None
        self.email = None
        self.email_login = None
        self.email_setup = None
        self.recovery_code = new_recovery_code()
        self.events.append(TwoFactorRecoveredV1(user_id=self.user_id))
        return True

    def _enabled(self, provider: TwoFactorProvider) -> None:
        self.events.append(
            TwoFactorEnabledV1(user_id=self.user_id, provider=int(provider), providers=self._provider_numbers())
        )

    def _provider_numbers(self) -> list[int]:
        return [int(p) for p in self.providers]


@dataclass(frozen=True)
class RememberedDevice:
    """A device that may skip the second step until `expires_at`: the token is handed to the client once, the
    server keeps its digest, bound to the user and the device's identifier."""

    digest: str
    user_id: uuid.UUID
    device_identifier: str
    expires_at: datetime

    @classmethod
    def issue(cls, user_id: uuid.UUID, device_identifier: str, now: datetime) -> tuple[str, RememberedDevice]:
        token = secrets.token_urlsafe(32)
        return token, cls(code_digest(token), user_id, device_identifier, now + REMEMBER_LIFETIME)

    def admits(self, user_id: uuid.UUID, device_identifier: str, now: datetime) -> bool:
        return self.user_id == user_id and self.device_identifier == device_identifier and now < self.expires_at
