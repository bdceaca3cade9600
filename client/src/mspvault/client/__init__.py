"""MSPVault client: Bitwarden-compatible, zero-knowledge crypto and an async API client.

All keys are made and opened here; the server only ever sees hashes, public keys and EncStrings.
"""

from mspvault.client.api import ApiError, MSPVaultClient, NotLoggedIn
from mspvault.client.session import MissingKey, Session

__all__ = ["ApiError", "MSPVaultClient", "MissingKey", "NotLoggedIn", "Session"]
