"""Reliable messaging: transactional outbox + relay, idempotent inbox consumers with a DLQ, the producer factory."""
