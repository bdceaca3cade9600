"""Which requests count against which limits, and the 429 they get. The rules are a table keyed by route, so the
gateway limits what it can see without knowing the services' rules: the caller's address, the account named in a
login form, the organization in an invite path.

Per IP first, then per account: a request the IP limit refused never counts against the account, so a flood from
one address cannot lock the account's owner out from another.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

from mspvault.gateway.rate_limits.counters import Counters
from mspvault.gateway.rate_limits.window import Limit
from mspvault.shared.settings import GatewaySettings
from mspvault.shared.text import normalize_email

MINUTE, HOUR = 60, 3600
READABLE_BODY_BYTES = 16_384  # the token endpoint's own cap: larger bodies are refused there anyway

TOKEN_PATH = "/identity/connect/token"
PRELOGIN_PATHS = frozenset(
    {"/identity/accounts/prelogin", "/identity/accounts/prelogin/password", "/api/accounts/prelogin"}
)
REGISTER_PATHS = frozenset({"/identity/accounts/register", "/api/accounts/register"})
# Anonymous two-step login routes that check a password: counted as logins of the account named in the body.
TWO_FACTOR_LOGIN_PATHS = frozenset({"/api/two-factor/send-email-login", "/api/two-factor/recover"})
REMEMBER_PROVIDER = "5"
INVITE_PATH = re.compile(r"^/api/(organizations|providers)/([^/]+)/users/invite$")


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(limit.name)
        self.limit = limit
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    login_ip: Limit
    login_account: Limit
    prelogin_ip: Limit
    register_ip: Limit
    invites_org: Limit
    two_factor_account: Limit

    @classmethod
    def of(cls, settings: GatewaySettings) -> Limits:
        return cls(
            login_ip=Limit("login-ip", settings.login_per_ip_per_minute, MINUTE),
            login_account=Limit("login-account", settings.login_per_account_per_minute, MINUTE),
            prelogin_ip=Limit("prelogin-ip", settings.prelogin_per_ip_per_minute, MINUTE),
            register_ip=Limit("register-ip", settings.register_per_ip_per_hour, HOUR),
            invites_org=Limit("invites-org", settings.invites_per_org_per_hour, HOUR),
            two_factor_account=Limit("two-factor-account", settings.two_factor_codes_per_account_per_hour, HOUR),
        )


@dataclass(frozen=True)
class Charge:
    limit: Limit
    subject: str
    cost: int = 1


class RateLimiter:
    def __init__(self, counters: Counters, limits: Limits) -> None:
        self.counters = counters
        self.limits = limits

    async def check(self, request: Request, path: str) -> None:
        """Raise `RateLimited` when a limit this request falls under is used up; count it otherwise."""
        if request.method != "POST":
            return
        async for charge in self._charges(request, path):  # in order: a refusal stops the later counts
            decision = await self.counters.hit(charge.limit, charge.subject, cost=charge.cost)
            if not decision.allowed:
                raise RateLimited(charge.limit, decision.retry_after)

    async def _charges(self, request: Request, path: str) -> AsyncIterator[Charge]:
        ip = request.client.host if request.client else "unknown"
        if path == TOKEN_PATH:
            yield Charge(self.limits.login_ip, ip)
            form = await _small_form(request)
            grant = form.get("grant_type")
            if grant == "password" and form.get("username"):
                account = normalize_email(form["username"])
                yield Charge(self.limits.login_account, account)
                provider = form.get("twoFactorProvider", "")
                if form.get("twoFactorToken") and provider != REMEMBER_PROVIDER:
                    # Codes are counted per account and provider: guessing authenticator codes uses up that
                    # provider's allowance only, and the owner can still log in with an email or recovery code.
                    yield Charge(self.limits.two_factor_account, f"{account}:{provider[:3]}")
            elif grant == "client_credentials" and form.get("client_id"):
                yield Charge(self.limits.login_account, form["client_id"].strip().lower())
        elif path in PRELOGIN_PATHS:
            yield Charge(self.limits.prelogin_ip, ip)
        elif path in TWO_FACTOR_LOGIN_PATHS:
            yield Charge(self.limits.login_ip, ip)
            body = await _small_json(request)
            email = body.get("email") if isinstance(body, dict) else None
            if isinstance(email, str) and email:
                yield Charge(self.limits.login_account, normalize_email(email))
        elif path in REGISTER_PATHS:
            yield Charge(self.limits.register_ip, ip)
        elif match := INVITE_PATH.match(path):
            invited = await _small_json(request)
            emails = invited.get("emails") if isinstance(invited, dict) else None
            cost = len(emails) if isinstance(emails, list) and emails else 1
            yield Charge(self.limits.invites_org, f"{match.group(1)}:{match.group(2)}", cost)


async def _small_body(request: Request) -> bytes | None:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > READABLE_BODY_BYTES:
        return None
    return await request.body()  # kept by Starlette: the forwarder sends the same bytes on


async def _small_form(request: Request) -> dict[str, str]:
    body = await _small_body(request)
    if body is None:
        return {}
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return {}


async def _small_json(request: Request) -> object:
    body = await _small_body(request)
    if body is None:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
