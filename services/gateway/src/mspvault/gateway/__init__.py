"""MSPVault gateway: the one public HTTPS port. Routes Bitwarden paths to the services, checks tokens, assigns
correlation ids, and composes the answers that span services (`/api/sync`, profile, revision date)."""
