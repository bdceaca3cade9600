"""HTTP routers of the organization service, one per resource, each authenticated on the router."""
