"""What an access token says and for how long: the token policy, the claims of one login, the tokens issued."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mspvault.identity.domain.account import Account
from mspvault.identity.domain.devices import Device
from mspvault.shared.text import normalize_email

SCOPE = ("api", "offline_access")


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    access_token_seconds: int
    refresh_token_days: int
    operators: frozenset[str]  # from settings; more are kept in the operators table

    @classmethod
    def of(
        cls, *, issuer: str, access_token_seconds: int, refresh_token_days: int, operators: Collection[str]
    ) -> TokenPolicy:
        return cls(issuer, access_token_seconds, refresh_token_days, frozenset(normalize_email(e) for e in operators))


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str = " ".join(SCOPE)
    two_factor_token: str | None = None  # a remember-device token, when the login asked for one


def access_claims(
    account: Account, device: Device, client_id: str, *, operator: bool, scope: tuple[str, ...] = SCOPE
) -> dict[str, object]:
    """The claims beyond subject, email and name that Bitwarden's clients read (and `operator` for ours)."""
    claims: dict[str, object] = {
        "sstamp": account.security_stamp,
        "device": device.info.identifier,
        "devicetype": str(device.info.type),
        "client_id": client_id,
        "premium": True,
        "email_verified": account.email_verified,
        "scope": list(scope),
        "amr": ["Application"],
    }
    if operator:
        claims["operator"] = True
    return claims
