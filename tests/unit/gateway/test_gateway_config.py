"""`/api/config` as the Bitwarden clients read it (bw-cli-api.md §3.1)."""

from __future__ import annotations

from mspvault.gateway.config import server_config


def test_config_advertises_the_version_and_the_public_urls() -> None:
    config = server_config("https://vault.example.test:8443/", git_hash="abc")
    assert config["version"] == "2026.6.0"
    assert config["gitHash"] == "abc"
    assert config["object"] == "config"
    assert config["environment"] == {
        "vault": "https://vault.example.test:8443",
        "api": "https://vault.example.test:8443/api",
        "identity": "https://vault.example.test:8443/identity",
        "notifications": "https://vault.example.test:8443/notifications",
        "sso": "",
        "cloudRegion": None,
    }
    assert config["settings"] == {"disableUserRegistration": False}
    assert config["push"] == {"pushTechnology": 0, "vapidPublicKey": None}
    assert config["featureStates"] == {}  # every client flag off: the code paths the CLI was probed with
    assert config["communication"] is None
    assert config["server"]["name"] == "MSPVault"
