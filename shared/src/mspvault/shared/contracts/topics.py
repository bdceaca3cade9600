"""Topic names: one per owning service, and its dead-letter twin."""

SERVICES = ("identity", "provider", "organization", "vault")


def events_topic(service: str) -> str:
    return f"{service}.events"


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics() -> list[str]:
    return [name for service in SERVICES for name in (events_topic(service), dlq_topic(events_topic(service)))]
