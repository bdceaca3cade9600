"""A serving process refuses the well-known development invite secret: every install would sign invite links with
the same public value. The dev launcher gives each data directory its own secret instead."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TypedDict

import pytest
from sqlalchemy import MetaData

from mspvault.shared import runtime
from mspvault.shared.messaging.tables import messaging_tables
from mspvault.shared.settings import DEV_INVITE_SECRET, OrganizationSettings, ProviderSettings, VaultSettings


class Required(TypedDict):
    """The settings with no default, typed so that unpacking them cannot reach pydantic-settings' own `_` options."""

    database_url: str
    kafka_bootstrap: str


REQUIRED: Required = {"database_url": "postgresql+asyncpg://u:p@127.0.0.1:1/x", "kafka_bootstrap": "127.0.0.1:1"}


def test_the_default_invite_secret_is_refused_naming_the_variable() -> None:
    refusals = ProviderSettings(**REQUIRED).refusals()
    assert len(refusals) == 1
    assert "MSPVAULT_PROVIDER_INVITE_SECRET" in refusals[0]
    assert "MSPVAULT_ORGANIZATION_INVITE_SECRET" in OrganizationSettings(**REQUIRED).refusals()[0]


def test_the_well_known_value_is_refused_even_when_set_explicitly() -> None:
    assert ProviderSettings(**REQUIRED, invite_secret=DEV_INVITE_SECRET).refusals()


def test_a_real_secret_and_a_service_without_invites_pass() -> None:
    assert ProviderSettings(**REQUIRED, invite_secret="x" * 32).refusals() == []
    assert VaultSettings(**REQUIRED).refusals() == []


def test_serving_stops_before_listening_when_a_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[object] = []
    monkeypatch.setattr(runtime, "serve", lambda *args, **kwargs: served.append(args))
    metadata = MetaData()
    parts = runtime.ServiceParts(
        settings=ProviderSettings(**REQUIRED, log_json=False),
        metadata=metadata,
        tables=messaging_tables(metadata),
        migrations=Path("."),
    )
    with pytest.raises(SystemExit) as stopped:
        runtime.main(lambda: parts, ["serve"])
    assert "MSPVAULT_PROVIDER_INVITE_SECRET" in str(stopped.value.code)
    assert served == []


def test_the_launcher_keeps_one_private_secret_per_data_dir(tmp_path: Path) -> None:
    from mspvault.deploy.system import invite_secret

    first = invite_secret(tmp_path)
    assert first != DEV_INVITE_SECRET
    assert len(first) >= 32
    assert invite_secret(tmp_path) == first  # links mailed before a restart still open
    mode = stat.S_IMODE((tmp_path / "invite-secret").stat().st_mode)
    assert mode == 0o600
    assert invite_secret(tmp_path / "other") != first
