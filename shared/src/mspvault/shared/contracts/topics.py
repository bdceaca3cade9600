"""Topic names: one per owning service, and its dead-letter twin."""

SERVICES = ("identity", "provider", "organization", "vault")


def events_topic(service: str) -> str:
    return f"{service}.events"


def producer_of(topic: str) -> str | None:
    """The one service that may publish on an events topic (`vault` for `vault.events`); None for another topic."""
    return topic.removesuffix(".events") if topic.endswith(".events") else None


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics() -> list[str]:
    return [name for service in SERVICES for name in (events_topic(service), dlq_topic(events_topic(service)))]
