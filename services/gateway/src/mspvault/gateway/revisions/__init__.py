"""`GET /api/accounts/revision-date` from the gateway's memory (issue 12 #5): every client polls it, so a poll must
cost no call to a service.

- `dates`: each user's revision date, the maximum over the services, moved by their `RevisionsBumpedV1`;
- `tokens`: tokens already accepted, by their string, until they expire;
- `feed`: the Kafka reader that keeps both current (and the rotated security stamps that end sessions);
- `polling`: the short path that answers a poll from memory, and the long one that fills it.
"""
