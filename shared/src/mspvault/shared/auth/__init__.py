"""Token verification with the identity service's published keys (JWKS), and the caller as a FastAPI dependency."""

from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.verifier import InvalidTokenError, JwksVerifier

__all__ = ["InvalidTokenError", "JwksVerifier", "Principal"]
