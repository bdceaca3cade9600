"""Identity's edges: HTTP routers, the (empty) event router and the command line."""
