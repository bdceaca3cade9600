"""Issue 11 #3: one message that cannot be sent (a line break in a header) no longer stops every mail queued after
it: it is set aside, counted, and the loop moves on."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import insert, select

from mspvault.organization.adapters.orm import mail_outbox
from mspvault.shared.mail import MAX_ATTEMPTS, set_aside
from mspvault.shared.testing import wait_until
from tests.integration.organization.org_scenarios import rsa
from tests.integration.organization.test_organization_lifecycle import create_org

pytestmark = pytest.mark.integration


async def test_a_message_that_cannot_be_built_is_set_aside_and_the_next_one_goes_out(org_http) -> None:
    org = org_http
    async with org.app.state.runtime.session_factory() as session:
        for recipient, subject in [
            ("bad@example.test", "Join Evil\nBcc: everyone@example.test"),
            ("odd@example.test", "Join Odd\x85Name"),
            ("good@example.test", "Join Fabrikam"),
        ]:
            await session.execute(insert(mail_outbox).values(recipient=recipient, subject=subject, body="hello"))
        await session.commit()

    async def rows_set_aside() -> list[Any]:
        async with org.app.state.runtime.session_factory() as session:
            return list((await session.execute(select(mail_outbox).where(set_aside(mail_outbox)))).all())

    # The pass sends the good mail before it commits the bad rows' marks, so wait for both.
    async def passed() -> bool:
        return bool(org.mail.to("good@example.test")) and len(await rows_set_aside()) >= 2

    await wait_until(passed, timeout=30, message="the mail after the bad ones, and the bad ones set aside")
    rows = await rows_set_aside()
    assert {row.recipient for row in rows} >= {"bad@example.test"}
    bad = next(row for row in rows if row.recipient == "bad@example.test")
    assert bad.attempts == MAX_ATTEMPTS
    assert "ValueError" in bad.last_error
    assert not org.mail.to("everyone@example.test")

    operator = org.key.mint(user_id=uuid.uuid4(), email="ops@example.test", extra={"operator": True})
    ops = await org.http.get("/internal/ops/outbox", headers={"Authorization": f"Bearer {operator}"})
    assert ops.status_code == 200, ops.text
    assert ops.json()["mailSetAside"] == len(rows)


@pytest.mark.parametrize("char", ["\n", "\x85", "\u2028"])
async def test_names_and_emails_with_control_characters_are_refused_with_400(org_http, char: str) -> None:
    org = org_http
    olga = org.user("olga")
    body = {"name": f"Evil{char}Bcc: all@example.test", "billingEmail": olga.email, "planType": 20, "key": rsa()}
    refused = await org.http.post("/api/organizations", headers=olga.auth, json=body)
    assert refused.status_code == 400, refused.text
    assert "name" in refused.json()["validationErrors"]

    org_id = await create_org(org, olga)
    invite = {"emails": [f"eve{char}x@example.test"], "type": 2}
    bad = await org.http.post(f"/api/organizations/{org_id}/users/invite", headers=olga.auth, json=invite)
    assert bad.status_code == 400, bad.text
    group = await org.http.post(
        f"/api/organizations/{org_id}/groups", headers=olga.auth, json={"name": f"G{char}x", "collections": []}
    )
    assert group.status_code == 400, group.text
