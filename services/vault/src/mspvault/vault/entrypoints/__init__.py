"""HTTP routers and event consumers: they translate requests and events into the service layer's calls."""
