"""Entry points: HTTP routers and Kafka consumers; each only translates input and calls a handler or a view."""
