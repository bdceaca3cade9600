"""`/api/two-factor/*`: Bitwarden's routes to see, set up and turn off two-step login. Each change needs the
master-password hash; sending a login code and recovering are for someone not logged in yet, so they prove the
password instead (the gateway rate-limits them like logins)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from mspvault.identity.domain.two_factor import ENABLEABLE, TwoFactor, TwoFactorProvider
from mspvault.identity.entrypoints.http.deps import Work
from mspvault.identity.entrypoints.http.requests import (
    SecretVerificationRequest,
    TwoFactorEmailLoginRequest,
    TwoFactorEmailRequest,
    TwoFactorProviderRequest,
    TwoFactorRecoveryRequest,
    UpdateTwoFactorAuthenticatorRequest,
    UpdateTwoFactorEmailRequest,
)
from mspvault.identity.entrypoints.http.responses import (
    TwoFactorAuthenticatorResponse,
    TwoFactorEmailResponse,
    TwoFactorProviderListResponse,
    TwoFactorProviderResponse,
    TwoFactorRecoverResponse,
)
from mspvault.identity.service_layer import commands, two_factor
from mspvault.shared.http.deps import CurrentUser, authenticated

public = APIRouter(prefix="/api/two-factor", tags=["two-factor"])
router = APIRouter(prefix="/api/two-factor", tags=["two-factor"], dependencies=[Depends(authenticated)])


@router.get("")
async def list_providers(user: CurrentUser, work: Work) -> TwoFactorProviderListResponse:
    """The providers turned on (Bitwarden lists only those)."""
    providers = await two_factor.providers_of(work, user)
    return TwoFactorProviderListResponse(data=[TwoFactorProviderResponse(enabled=True, type=int(p)) for p in providers])


@router.post("/get-authenticator")
async def get_authenticator(
    body: SecretVerificationRequest, user: CurrentUser, work: Work
) -> TwoFactorAuthenticatorResponse:
    enabled, key = await two_factor.authenticator_setup(work, user, commands.VerifySecret(body.master_password_hash))
    return TwoFactorAuthenticatorResponse(enabled=enabled, key=key)


@router.put("/authenticator")
@router.post("/authenticator")
async def enable_authenticator(
    body: UpdateTwoFactorAuthenticatorRequest, user: CurrentUser, work: Work
) -> TwoFactorAuthenticatorResponse:
    command = commands.EnableAuthenticator(body.master_password_hash, body.key, body.token)
    settings = await two_factor.enable_authenticator(work, user, command)
    return TwoFactorAuthenticatorResponse(enabled=True, key=settings.authenticator_key or "")


@router.post("/get-email")
async def get_email(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> TwoFactorEmailResponse:
    enabled, email = await two_factor.email_setup(work, user, commands.VerifySecret(body.master_password_hash))
    return TwoFactorEmailResponse(enabled=enabled, email=email)


@router.post("/send-email", response_class=Response)
async def send_email(body: TwoFactorEmailRequest, user: CurrentUser, work: Work) -> Response:
    await two_factor.send_email_setup(work, user, commands.SendEmailSetup(body.master_password_hash, body.email))
    return Response(status_code=200)


@router.put("/email")
@router.post("/email")
async def enable_email(body: UpdateTwoFactorEmailRequest, user: CurrentUser, work: Work) -> TwoFactorEmailResponse:
    settings = await two_factor.enable_email(
        work, user, commands.EnableEmail(body.master_password_hash, body.email, body.token)
    )
    return TwoFactorEmailResponse(enabled=True, email=settings.email or body.email)


@router.post("/get-recover")
async def get_recover(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> TwoFactorRecoverResponse:
    code = await two_factor.recovery_code(work, user, commands.VerifySecret(body.master_password_hash))
    return TwoFactorRecoverResponse(code=code)


@router.put("/disable")
@router.post("/disable")
async def disable(body: TwoFactorProviderRequest, user: CurrentUser, work: Work) -> TwoFactorProviderResponse:
    settings = await two_factor.disable(work, user, commands.DisableTwoFactor(body.master_password_hash, body.type))
    return _provider(settings, body.type)


@public.post("/send-email-login", response_class=Response)
async def send_email_login(body: TwoFactorEmailLoginRequest, work: Work) -> Response:
    await two_factor.send_email_login(work, commands.SendEmailLogin(body.email, body.master_password_hash))
    return Response(status_code=200)


@public.post("/recover", response_class=Response)
async def recover(body: TwoFactorRecoveryRequest, work: Work) -> Response:
    await two_factor.recover(work, commands.RecoverTwoFactor(body.email, body.master_password_hash, body.recovery_code))
    return Response(status_code=200)


def _provider(settings: TwoFactor, number: int) -> TwoFactorProviderResponse:
    enabled = number in [int(p) for p in ENABLEABLE] and settings.is_on(TwoFactorProvider(number))
    return TwoFactorProviderResponse(enabled=enabled, type=number)
