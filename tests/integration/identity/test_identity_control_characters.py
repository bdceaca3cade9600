"""Email fields and the login form refuse control characters (issue 11): a NUL byte was a 500 (PostgreSQL refuses
it in text), a line break would have reached a mail header. Each refusal is a 400 naming the field."""

from __future__ import annotations

import base64
import os

import pytest

from tests.integration.identity.conftest import IdentityService, bearer

pytestmark = pytest.mark.integration

BAD_EMAILS = {"nul": "a\x00b@x.test", "newline": "a@x.test\nBcc: all@x.test", "nel": "a\x85b@x.test"}
ANONYMOUS_EMAIL_ROUTES: dict[str, dict[str, object]] = {
    "/identity/accounts/prelogin": {},
    "/identity/accounts/prelogin/password": {},
    "/api/accounts/prelogin": {},
    "/identity/accounts/register": {"masterPasswordHash": "aGFzaA==", "key": "2.x|y|z", "kdf": 0},
    "/api/two-factor/send-email-login": {"masterPasswordHash": "aGFzaA=="},
    "/api/two-factor/recover": {"masterPasswordHash": "aGFzaA==", "recoveryCode": "X" * 32},
}


@pytest.mark.parametrize("path", ANONYMOUS_EMAIL_ROUTES)
@pytest.mark.parametrize("email", BAD_EMAILS.values(), ids=BAD_EMAILS.keys())
async def test_anonymous_email_fields_refuse_control_characters(
    identity: IdentityService, path: str, email: str
) -> None:
    body = ANONYMOUS_EMAIL_ROUTES[path] | {"email": email, "kdfIterations": 600_000}
    response = await identity.client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert "email" in response.json()["validationErrors"]


async def test_the_second_factor_email_refuses_control_characters(identity: IdentityService) -> None:
    account = await identity.register()
    auth = bearer((await identity.login(account))["access_token"])
    secret = {"masterPasswordHash": account.password_hash}
    for email in BAD_EMAILS.values():
        for method, path in (("POST", "/api/two-factor/send-email"), ("PUT", "/api/two-factor/email")):
            body = secret | {"email": email, "token": "123456"}
            response = await identity.client.request(method, path, json=body, headers=auth)
            assert response.status_code == 400, (path, response.text)
            assert "email" in response.json()["validationErrors"]


@pytest.mark.parametrize("username", BAD_EMAILS.values(), ids=BAD_EMAILS.keys())
async def test_a_login_form_username_with_control_characters_is_an_oauth_400(
    identity: IdentityService, username: str
) -> None:
    response = await identity.password_grant(username, base64.b64encode(os.urandom(32)).decode())
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request"
    assert "username" in response.json()["error_description"]


async def test_a_nul_anywhere_else_in_the_login_form_is_a_400_not_a_500(identity: IdentityService) -> None:
    form = {"grant_type": "client_credentials", "client_id": "user.\x00", "client_secret": "s\x00", "scope": "api"}
    assert (await identity.client.post("/identity/connect/token", data=form)).status_code == 400
    refresh = await identity.refresh("refresh\x00token")
    assert refresh.status_code == 400, refresh.text
