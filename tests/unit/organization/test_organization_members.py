"""The member lifecycle, seats and the last-owner and encstring rules."""

from __future__ import annotations

import base64
import uuid

import pytest

from mspvault.organization.domain.encstrings import is_rsa, is_symmetric, require_rsa, require_symmetric
from mspvault.organization.domain.errors import (
    InvalidEncString,
    InvalidMemberState,
    InviteEmailMismatch,
    SeatLimitReached,
)
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import check_seats, product_tier
from mspvault.organization.domain.roles import MemberStatus, MemberType

KEY = "4." + base64.b64encode(b"k" * 256).decode()


def invited(member_type: MemberType = MemberType.USER) -> Member:
    return Member.invite(uuid.uuid4(), " Carol@Contoso.TEST ", member_type, nonce="n1")


def test_invite_normalizes_email_and_holds_a_seat() -> None:
    member = invited()
    assert member.email == "carol@contoso.test"
    assert member.status == MemberStatus.INVITED
    assert member.user_id is None
    assert member.occupies_seat


def test_invited_accepted_confirmed() -> None:
    member = invited()
    user_id = uuid.uuid4()
    member.accept(user_id, "CAROL@contoso.test")
    assert (member.status, member.user_id, member.invite_nonce) == (MemberStatus.ACCEPTED, user_id, None)
    member.confirm(KEY)
    assert member.status == MemberStatus.CONFIRMED
    assert member.key == KEY


def test_accept_checks_the_email_and_happens_once() -> None:
    member = invited()
    with pytest.raises(InviteEmailMismatch):
        member.accept(uuid.uuid4(), "mallory@contoso.test")
    member.accept(uuid.uuid4(), "carol@contoso.test")
    with pytest.raises(InvalidMemberState):
        member.accept(uuid.uuid4(), "carol@contoso.test")


def test_confirm_only_from_accepted_and_only_with_an_rsa_key() -> None:
    member = invited()
    with pytest.raises(InvalidMemberState):
        member.confirm(KEY)
    member.accept(uuid.uuid4(), "carol@contoso.test")
    with pytest.raises(InvalidEncString):
        member.confirm("2.not|an|rsa")
    assert member.status == MemberStatus.ACCEPTED


@pytest.mark.parametrize("before", [MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.CONFIRMED])
def test_revoke_remembers_and_restore_returns_to_the_previous_status(before: MemberStatus) -> None:
    member = invited()
    member.status = before
    member.revoke()
    assert member.status == MemberStatus.REVOKED
    assert not member.occupies_seat
    with pytest.raises(InvalidMemberState):
        member.revoke()
    member.restore()
    assert member.status == before
    assert member.pre_revoke_status is None
    with pytest.raises(InvalidMemberState):
        member.restore()


def test_reinvite_only_while_invited_and_replaces_the_nonce() -> None:
    member = invited()
    member.reinvite("n2")
    assert member.invite_nonce == "n2"
    member.accept(uuid.uuid4(), "carol@contoso.test")
    with pytest.raises(InvalidMemberState):
        member.reinvite("n3")


def test_only_custom_members_carry_permissions() -> None:
    custom = Member.invite(uuid.uuid4(), "c@x.test", MemberType.CUSTOM, nonce="n", permissions={"manageUsers": True})
    assert custom.permissions is not None
    assert custom.permissions["manageUsers"] is True
    custom.update(MemberType.ADMIN, {"manageUsers": True}, None)
    assert custom.permissions is None


def test_founding_owner_is_confirmed_with_their_key() -> None:
    owner = Member.founding_owner(uuid.uuid4(), uuid.uuid4(), "Boss@X.test", KEY)
    assert (owner.type, owner.status, owner.email) == (MemberType.OWNER, MemberStatus.CONFIRMED, "boss@x.test")


@pytest.mark.parametrize(
    ("seats", "occupied", "adding", "ok"),
    [
        (None, 1000, 5, True),
        (5, 4, 1, True),
        (5, 5, 1, False),
        (5, 3, 3, False),
        (0, 0, 1, False),
    ],
)
def test_seats_bound_invited_accepted_and_confirmed(seats: int | None, occupied: int, adding: int, ok: bool) -> None:
    if ok:
        check_seats(seats, occupied, adding)
    else:
        with pytest.raises(SeatLimitReached):
            check_seats(seats, occupied, adding)


def test_encstring_shapes() -> None:
    b = base64.b64encode(b"x" * 16).decode()
    assert is_symmetric(f"2.{b}|{b}|{b}")
    assert not is_symmetric(f"2.{b}|{b}")
    assert not is_symmetric(f"0.{b}|{b}|{b}")
    assert is_rsa(f"4.{b}")
    assert not is_rsa(f"4.{b}|{b}")
    assert not is_rsa("4.***")
    with pytest.raises(InvalidEncString) as error:
        require_symmetric("plaintext", "name")
    assert error.value.field == "name"
    with pytest.raises(InvalidEncString):
        require_rsa("2.a|b|c", "key")


def test_product_tier_of_plan_types() -> None:
    assert [product_tier(p) for p in (0, 7, 17, 21, 20, 6)] == [0, 1, 2, 4, 3, 3]
