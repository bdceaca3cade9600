"""`make up`'s replica counts: one variable for every service, one per service on top; the gateway's workers."""

from __future__ import annotations

import pytest

from mspvault.deploy.system import gateway_worker_count, replica_counts, service_of


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
    assert service_of("gateway-2") == "gateway"


def test_gateway_workers_default_to_one_and_are_bounded() -> None:
    assert gateway_worker_count({}) == 1
    assert gateway_worker_count({"MSPVAULT_REPLICAS": "3", "MSPVAULT_GATEWAY_WORKERS": "4"}) == 4
    with pytest.raises(SystemExit, match="MSPVAULT_GATEWAY_WORKERS"):
        gateway_worker_count({"MSPVAULT_GATEWAY_WORKERS": "0"})
