"""Masking by construction: only values whose contract type cannot hold a secret are shown."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from mspvault.shared.contracts.envelope import AGGREGATE_KEY, Actor, Envelope, EventData
from mspvault.shared.contracts.organization import CollectionAccessChangedV1, MemberAccess
from mspvault.shared.contracts.provider import ClientOrgCreatedV1
from mspvault.shared.ops.masking import MASK, mask_envelope, mask_value, scrub

ENC = "2.aGVsbG8gd29ybGQgaXY=|Y2lwaGVydGV4dCBoZXJl|bWFjIG1hYyBtYWMgbWFj"
RSA_PUBLIC = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw"


def client_org_created() -> ClientOrgCreatedV1:
    return ClientOrgCreatedV1(
        provider_id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        provider_name="Acme MSP",
        name="Contoso",
        billing_email="billing@contoso.example",
        owner_email="it@contoso.example",
        plan_type=19,
        seats=10,
        public_key=RSA_PUBLIC,
        encrypted_private_key=ENC,
        collection_name=ENC,
    )


def test_ids_numbers_and_times_are_shown_and_every_string_is_masked() -> None:
    event = client_org_created()
    envelope = Envelope.wrap(event, producer="provider", correlation_id="c0ffee" * 5, actor=Actor(ip="10.0.0.1"))
    shown = mask_envelope(envelope)
    data = shown["data"]
    assert data["provider_id"] == str(event.provider_id)
    assert data["organization_id"] == str(event.organization_id)
    assert data["plan_type"] == 19
    assert data["seats"] == 10
    for name in (
        "provider_name",
        "name",
        "billing_email",
        "owner_email",
        "public_key",
        "encrypted_private_key",
        "collection_name",
    ):
        assert data[name] == MASK, name
    assert shown["actor"]["ip"] == MASK
    assert shown["type"] == "ClientOrgCreated"
    assert shown["key"] == str(event.provider_id)
    text = json.dumps(shown)
    assert ENC not in text
    assert RSA_PUBLIC not in text
    assert "contoso.example" not in text


def test_nested_objects_keep_their_typed_fields() -> None:
    user = uuid.uuid4()
    event = CollectionAccessChangedV1(
        organization_id=uuid.uuid4(), collection_id=uuid.uuid4(), access=[MemberAccess(user_id=user, manage=True)]
    )
    data = mask_envelope(Envelope.wrap(event, producer="organization", correlation_id=None))["data"]
    assert data["access"] == [{"user_id": str(user), "read_only": False, "hide_passwords": False, "manage": True}]


def test_a_secret_in_a_typed_field_is_still_masked() -> None:
    event = client_org_created()
    envelope = Envelope.wrap(event, producer="provider", correlation_id=None)
    forged = envelope.model_copy(update={"data": {**envelope.data, "organization_id": ENC, "seats": ENC}})
    data = mask_envelope(forged)["data"]
    assert data["organization_id"] == MASK
    assert data["seats"] == MASK


def test_unknown_events_and_undeclared_fields_show_nothing_not_even_names() -> None:
    class Unregistered(EventData):  # no event_type: never registered
        thing: Annotated[str, AGGREGATE_KEY]

    envelope = Envelope(type="NoSuchEvent", version=1, producer="x", key=ENC, data={ENC: ENC, "a": 1})
    shown = mask_envelope(envelope)
    assert shown["data"] == {"_masked": 2}
    assert shown["key"] == MASK
    event = client_org_created()
    extra = Envelope.wrap(event, producer="provider", correlation_id=None)
    extra = extra.model_copy(update={"data": {**extra.data, ENC: "x"}})
    data = mask_envelope(extra)["data"]
    assert data["_masked"] == 1
    assert ENC not in json.dumps(data)


def test_values_that_are_not_envelopes_show_only_their_size() -> None:
    assert mask_value(b"not json " + ENC.encode()) == {"envelope": None, "bytes": 9 + len(ENC), "unparseable": True}
    assert mask_value(None) == {"envelope": None, "bytes": 0}


def test_scrub_removes_encstrings_tokens_and_keys_but_keeps_ids() -> None:
    an_id = str(uuid.uuid4())
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
    text = f"IntegrityError: ({ENC}, {RSA_PUBLIC}, '{an_id}', {uuid.uuid4().hex}) token {jwt} 4.{RSA_PUBLIC}"
    cleaned = scrub(text)
    assert ENC not in cleaned
    assert RSA_PUBLIC not in cleaned
    assert jwt not in cleaned
    assert an_id in cleaned
    assert "IntegrityError" in cleaned
