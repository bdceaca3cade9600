"""Operator -> setup -> invite/accept/confirm -> revoke/restore/remove, through HTTP with the real database."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.provider.provider_flows import (
    ADMIN,
    SERVICE,
    add_member,
    invite_and_accept,
    open_provider,
    set_up_provider,
    synced,
)
from tests.integration.provider.provider_harness import PUBLIC_URL

pytestmark = pytest.mark.integration


async def revision_of(h, user) -> int:
    response = await h.call("GET", "/internal/revision-date", user)
    assert response.status_code == 200
    return int(response.json()["revisionDate"])


async def test_operator_opens_a_provider_and_its_first_admin_sets_it_up(provider_service):
    h = provider_service
    alice = await h.new_user("alice")
    provider_id = await open_provider(h, alice, "Acme MSP")

    listed = await h.call("GET", "/api/admin/providers", h.operator())
    assert listed.status_code == 200
    mine = [p for p in listed.json()["data"] if p["id"] == provider_id]
    assert mine
    assert mine[0]["status"] == 0
    assert mine[0]["object"] == "provider"

    invite = await h.mail.invite_for(alice.email)
    assert invite.url.startswith(f"{PUBLIC_URL}/#/providers/setup?")  # the first admin sets the provider up
    assert (invite.provider_id, invite.email) == (provider_id, alice.email)

    # Until setup, the accepted admin cannot use the provider.
    accepted = await h.call(
        "POST",
        f"/api/providers/{provider_id}/users/{invite.provider_user_id}/accept",
        alice,
        json={"token": invite.token},
    )
    assert accepted.status_code == 200, accepted.text
    assert (await h.call("GET", f"/api/providers/{provider_id}", alice)).status_code == 404

    provider_key = b"k" * 64
    setup = await h.call(
        "POST",
        f"/api/providers/{provider_id}/setup",
        alice,
        json={"name": "Acme MSP", "businessName": "Acme", "billingEmail": alice.email, "key": alice.wrap(provider_key)},
    )
    assert setup.status_code == 200, setup.text
    assert setup.json()["status"] == 2
    again = await h.call(
        "POST",
        f"/api/providers/{provider_id}/setup",
        alice,
        json={"name": "Acme MSP", "billingEmail": alice.email, "key": alice.wrap(provider_key)},
    )
    assert again.status_code == 400
    assert "already set up" in again.json()["message"]

    got = await h.call("GET", f"/api/providers/{provider_id}", alice)
    assert got.status_code == 200
    assert {k: got.json()[k] for k in ("name", "businessName", "billingEmail", "type")} == {
        "name": "Acme MSP",
        "businessName": "Acme",
        "billingEmail": alice.email,
        "type": 0,
    }

    (profile,) = (await synced(h, alice))["providers"]
    assert profile["object"] == "profileProvider"
    assert profile["id"] == provider_id
    assert (profile["status"], profile["type"], profile["userId"]) == (2, 0, str(alice.id))
    assert alice.unwrap(profile["key"]) == provider_key  # the provider key round-trips through the server
    assert await revision_of(h, alice) > 0

    assert await h.event_types(provider_id) == [
        "ProviderCreated",
        "ProviderUserInvited",
        "ProviderUserAccepted",
        "ProviderUserConfirmed",
        "ProviderUpdated",
    ]
    actors = [envelope["actor"] for envelope in await h.outbox(provider_id)]
    assert all(actor["provider_id"] == provider_id for actor in actors)
    assert actors[-1]["user_id"] == str(alice.id)


async def test_setup_with_the_invite_token_accepts_and_sets_up_in_one_step(provider_service):
    h = provider_service
    alice = await h.new_user("alice")
    provider_id = await open_provider(h, alice)
    invite = await h.mail.invite_for(alice.email)
    body = {"name": "Acme", "billingEmail": alice.email, "key": alice.wrap(b"p" * 64), "token": invite.token}
    response = await h.call("POST", f"/api/providers/{provider_id}/setup", alice, json=body)
    assert response.status_code == 200, response.text
    assert (await h.call("GET", f"/api/providers/{provider_id}", alice)).status_code == 200


async def test_admin_invites_a_service_user_who_accepts_and_is_confirmed(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, bob_pu = await invite_and_accept(h, acme, "bob", SERVICE)

    # Accepted but not confirmed: no provider in his sync, no access.
    assert (await synced(h, bob))["providers"] == []
    assert (await h.call("GET", acme.base(), bob)).status_code == 404

    keys = await h.call("POST", f"{acme.base()}/users/public-keys", acme.admin, json={"ids": [bob_pu]})
    assert keys.status_code == 200
    (entry,) = keys.json()["data"]
    assert (entry["id"], entry["userId"], entry["key"]) == (bob_pu, str(bob.id), bob.public_key_b64)

    before = await revision_of(h, bob)
    confirm = await h.call(
        "POST", f"{acme.base()}/users/{bob_pu}/confirm", acme.admin, json={"key": bob.wrap(acme.provider_key)}
    )
    assert confirm.status_code == 200, confirm.text
    assert await revision_of(h, bob) > before

    (profile,) = (await synced(h, bob))["providers"]
    assert (profile["type"], profile["status"]) == (SERVICE, 2)
    assert bob.unwrap(profile["key"]) == acme.provider_key

    listed = await h.call("GET", f"{acme.base()}/users", acme.admin)
    assert listed.status_code == 200
    body = listed.json()
    assert body["object"] == "list"
    assert body["continuationToken"] is None
    rows = {row["email"]: row for row in body["data"]}
    assert rows[bob.email]["status"] == 2
    assert rows[bob.email]["type"] == SERVICE
    assert rows[bob.email]["object"] == "providerUserUserDetails"
    assert rows[bob.email]["name"] == "bob"
    one = await h.call("GET", f"{acme.base()}/users/{bob_pu}", acme.admin)
    assert one.json()["object"] == "providerUser"
    assert one.json()["userId"] == str(bob.id)

    types = await h.event_types(acme.id)
    assert types[-3:] == ["ProviderUserInvited", "ProviderUserAccepted", "ProviderUserConfirmed"]


async def test_invite_tokens_are_single_use_bound_to_the_email_and_replaced_by_reinvite(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    carol = await h.new_user("carol")
    await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": [carol.email], "type": SERVICE})
    first = await h.mail.invite_for(carol.email)
    accept_url = f"{acme.base()}/users/{first.provider_user_id}/accept"

    mallory = await h.new_user("mallory")
    wrong_email = await h.call("POST", accept_url, mallory, json={"token": first.token})
    assert wrong_email.status_code == 400
    assert "email" in wrong_email.json()["message"].lower()

    tampered = await h.call("POST", accept_url, carol, json={"token": first.token[:-2] + "xx"})
    assert tampered.status_code == 400
    assert tampered.json()["validationErrors"] == {"token": ["Invalid token."]}

    sent = len(h.mail.messages)
    reinvite = await h.call("POST", f"{acme.base()}/users/{first.provider_user_id}/reinvite", acme.admin)
    assert reinvite.status_code == 200
    second = await h.mail.invite_for(carol.email, after=sent)
    assert second.token != first.token
    stale = await h.call("POST", accept_url, carol, json={"token": first.token})
    assert stale.status_code == 400

    assert (await h.call("POST", accept_url, carol, json={"token": second.token})).status_code == 200
    reused = await h.call("POST", accept_url, carol, json={"token": second.token})
    assert reused.status_code == 400

    bulk = await h.call("POST", f"{acme.base()}/users/reinvite", acme.admin, json={"ids": [first.provider_user_id]})
    assert bulk.json()["data"] == [
        {"id": first.provider_user_id, "error": "User invalid.", "object": "providerUserBulkResponseModel"}
    ]


async def test_confirm_only_after_accept_and_bulk_confirm_reports_each(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    dan = await h.new_user("dan")
    invited = await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": [dan.email], "type": 1})
    (dan_row,) = invited.json()["data"]
    early = await h.call(
        "POST", f"{acme.base()}/users/{dan_row['id']}/confirm", acme.admin, json={"key": dan.wrap(acme.provider_key)}
    )
    assert early.status_code == 400
    assert "accept" in early.json()["message"]

    erin, erin_pu = await invite_and_accept(h, acme, "erin", SERVICE)
    bulk = await h.call(
        "POST",
        f"{acme.base()}/users/confirm",
        acme.admin,
        json={"keys": [{"id": erin_pu, "key": erin.wrap(acme.provider_key)}, {"id": dan_row["id"], "key": "4.AAAA"}]},
    )
    assert bulk.status_code == 200
    assert [row["error"] for row in bulk.json()["data"]] == ["", "User must accept the invite before being confirmed."]
    assert (await synced(h, erin))["providers"][0]["status"] == 2


async def test_revoke_suspends_and_restore_gives_back_access(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, bob_pu = await add_member(h, acme, "bob", SERVICE)
    alice_pu = next(
        row["id"]
        for row in (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]
        if row["userId"] == str(acme.admin.id)
    )

    before = await revision_of(h, bob)
    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/revoke", acme.admin)).status_code == 200
    assert await revision_of(h, bob) > before
    assert (await h.call("GET", acme.base(), bob)).status_code == 404
    assert (await synced(h, bob)) == {"providers": [], "providerOrganizations": []}
    listed = (await h.call("GET", f"{acme.base()}/users/{bob_pu}", acme.admin)).json()
    assert listed["status"] == -1

    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/revoke", acme.admin)).status_code == 400
    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/restore", acme.admin)).status_code == 200
    assert (await h.call("GET", acme.base(), bob)).status_code == 200
    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/restore", acme.admin)).status_code == 400

    self_revoke = await h.call("POST", f"{acme.base()}/users/{alice_pu}/revoke", acme.admin)
    assert self_revoke.status_code == 400
    assert "yourself" in self_revoke.json()["message"]
    assert (await h.event_types(acme.id))[-2:] == ["ProviderUserRevoked", "ProviderUserRestored"]


async def test_at_least_one_confirmed_admin_remains_and_nobody_removes_themselves(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    users = (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]
    alice_pu = users[0]["id"]

    demote = await h.call("PUT", f"{acme.base()}/users/{alice_pu}", acme.admin, json={"type": SERVICE})
    assert demote.status_code == 400
    assert "at least one confirmed ProviderAdmin" in demote.json()["message"]
    remove_self = await h.call("DELETE", f"{acme.base()}/users/{alice_pu}", acme.admin)
    assert remove_self.status_code == 400

    second, _second_pu = await add_member(h, acme, "second", ADMIN)
    demoted = await h.call("PUT", f"{acme.base()}/users/{alice_pu}", acme.admin, json={"type": SERVICE})
    assert demoted.status_code == 200
    assert demoted.json()["type"] == SERVICE
    # Alice is now a Service User: the roster is no longer hers to manage.
    assert (await h.call("GET", f"{acme.base()}/users", acme.admin)).status_code == 404
    assert (await h.call("DELETE", f"{acme.base()}/users/{alice_pu}", second)).status_code == 200
    assert "ProviderUserRemoved" in await h.event_types(acme.id)
    assert (await h.call("GET", acme.base(), acme.admin)).status_code == 404


async def test_bulk_remove_reports_each_id(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    _, bob_pu = await add_member(h, acme, "bob", SERVICE)
    _, carol_pu = await invite_and_accept(h, acme, "carol", SERVICE)
    alice_pu = next(
        row["id"]
        for row in (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]
        if row["userId"] == str(acme.admin.id)
    )
    unknown = str(uuid.uuid4())
    response = await h.call("DELETE", f"{acme.base()}/users", acme.admin, json={"ids": [bob_pu, alice_pu, unknown]})
    assert response.status_code == 200
    errors = {row["id"]: row["error"] for row in response.json()["data"]}
    assert errors == {bob_pu: "", alice_pu: "You cannot remove yourself.", unknown: "User not found."}
    by_post = await h.call("POST", f"{acme.base()}/users/delete", acme.admin, json={"ids": [carol_pu]})
    assert by_post.json()["data"][0]["error"] == ""
    remaining = [row["id"] for row in (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]]
    assert remaining == [alice_pu]


async def test_admin_edits_the_provider(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    before = await revision_of(h, bob)
    response = await h.call(
        "PUT",
        acme.base(),
        acme.admin,
        json={"name": "Acme Managed", "businessName": "Acme Ltd", "billingEmail": "B@A.test"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["name"], response.json()["billingEmail"]) == ("Acme Managed", "b@a.test")
    assert (await synced(h, bob))["providers"][0]["name"] == "Acme Managed"
    assert await revision_of(h, bob) > before  # every provider user sees the new name
    assert (await h.event_types(acme.id))[-1] == "ProviderUpdated"


async def test_bad_input_answers_400_naming_the_field(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    too_many = {"emails": [f"u{i}@acme.test" for i in range(21)], "type": SERVICE}
    response = await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json=too_many)
    assert response.status_code == 400
    assert "emails" in response.json()["validationErrors"]
    response = await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": ["nope"], "type": 1})
    assert response.status_code == 400
    assert "emails.0" in response.json()["validationErrors"]
    response = await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": ["a@b.test"], "type": 7})
    assert response.status_code == 400
    assert "type" in response.json()["validationErrors"]
    response = await h.call("PUT", acme.base(), acme.admin, json={"name": "", "billingEmail": "a@b.test"})
    assert response.status_code == 400
    assert "name" in response.json()["validationErrors"]
    response = await h.call(
        "POST", "/api/admin/providers", h.operator(), json={"name": "x", "type": 0, "ownerEmail": "not-an-email"}
    )
    assert response.status_code == 400
    assert "ownerEmail" in response.json()["validationErrors"]
    response = await h.call("GET", "/api/providers/not-a-uuid", acme.admin)
    assert response.status_code == 400


async def test_sole_ownership_counts_the_providers_without_another_active_admin(provider_service):
    h = provider_service

    async def sole(user) -> int:
        response = await h.call("GET", "/internal/sole-ownership", user)
        assert response.status_code == 200, response.text
        count: int = response.json()["providers"]
        return count

    provider = await set_up_provider(h)
    assert await sole(provider.admin) == 1
    service_user, _ = await add_member(h, provider, "sam", SERVICE)
    assert (await sole(provider.admin), await sole(service_user)) == (1, 0)
    second, _ = await add_member(h, provider, "ada", ADMIN)
    assert (await sole(provider.admin), await sole(second)) == (0, 0)
