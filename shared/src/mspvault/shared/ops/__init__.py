"""What operators see of the event flows: offsets and lag, outbox backlog, dead letters, traces, masked events."""
