"""HTTP routers of the provider service, one per resource; authentication sits on each router."""
