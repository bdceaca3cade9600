"""Identity's HTTP routes, one module per resource; `routers` is what bootstrap mounts."""

from mspvault.identity.entrypoints.http import accounts, connect_token, internal, keys

routers = (accounts.public, keys.jwks_router, connect_token.router, accounts.router, keys.router, internal.router)
