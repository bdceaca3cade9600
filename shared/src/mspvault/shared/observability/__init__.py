"""Logging and correlation ids: one correlation id from the gateway through every service, event and log line."""
