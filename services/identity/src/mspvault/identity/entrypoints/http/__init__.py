"""Identity's HTTP routes, one module per resource; `routers` is what bootstrap mounts."""

from mspvault.identity.entrypoints.http import account_recovery, accounts, connect_token, internal, keys, two_factor

routers = (
    accounts.public,
    keys.jwks_router,
    connect_token.router,
    accounts.router,
    keys.router,
    two_factor.public,
    two_factor.router,
    account_recovery.router,
    internal.router,
)
