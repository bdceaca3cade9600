"""Event contracts: the envelope, one module of versioned events per producing service, and topic names."""

from mspvault.shared.contracts.envelope import Actor, ContractModel, Envelope, EventData, event_registry
from mspvault.shared.contracts.topics import dlq_topic, events_topic

__all__ = ["Actor", "ContractModel", "Envelope", "EventData", "dlq_topic", "event_registry", "events_topic"]


def load_all_contracts() -> None:
    """Import every event module so the registry knows every (type, version)."""
    from mspvault.shared.contracts import identity, organization, provider, revisions, vault  # noqa: F401
