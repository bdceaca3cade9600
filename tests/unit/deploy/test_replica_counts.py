"""`make up`'s replica counts: one variable for every service, one per service on top."""

from __future__ import annotations

import pytest

from mspvault.deploy.system import replica_counts, service_of


def test_one_process_of_each_service_by_default() -> None:
    assert replica_counts({}) == {"identity": 1, "provider": 1, "organization": 1, "vault": 1}


def test_a_service_count_overrides_the_common_one() -> None:
    counts = replica_counts({"MSPVAULT_REPLICAS": "2", "MSPVAULT_VAULT_REPLICAS": "3"})
    assert counts == {"identity": 2, "provider": 2, "organization": 2, "vault": 3}


@pytest.mark.parametrize("raw", ["0", "x", "-1", "17"])
def test_a_bad_count_stops_the_launcher_naming_the_variable(raw: str) -> None:
    with pytest.raises(SystemExit, match="MSPVAULT_IDENTITY_REPLICAS"):
        replica_counts({"MSPVAULT_IDENTITY_REPLICAS": raw})


def test_a_replica_runs_its_service() -> None:
    assert service_of("vault-2") == "vault"
    assert service_of("organization") == "organization"
