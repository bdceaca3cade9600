"""The vault's HTTP edge: Bitwarden's cipher and folder routes, one item's event log, and the internal parts the
gateway composes. Authentication is on every router, so no route can forget it; what the caller may touch is the
domain's access rule, which answers 404 for anything they may not see."""
