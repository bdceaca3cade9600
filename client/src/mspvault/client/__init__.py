"""MSPVault package."""
