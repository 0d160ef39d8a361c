"""The room's event store: every room's records in a hash chain, on SQLite (default) or PostgreSQL.

The room's rules decide and emit :class:`NewRecord`\\ s; the store appends them after the
room's last known record (optimistic concurrency), applies a retried request once (its
idempotency key), chains each record to its predecessor by hash, and tells every process
what was committed (the notification log, ``LISTEN``/``NOTIFY`` on PostgreSQL). It knows
nothing of rooms' rules, seats or protocols: it stores JSON and proves it unchanged.

>>> with open_store("sqlite:///:memory:") as store:
...     _ = store.append("r1", [NewRecord("room-created", {"protocol": "one-text-v1"})], expected_seq=0)
...     _ = store.append("r1", [NewRecord("message", {"text": "hi"}, seat="usa")], expected_seq=1,
...                      idempotency_key="k1", response={"seq": 2})
...     try:
...         store.append("r1", [NewRecord("message", {"text": "hi"}, seat="usa")], expected_seq=1,
...                      idempotency_key="k1", response={"seq": 2})
...     except DuplicateRequest as duplicate:
...         print(duplicate.response)
...     print(verify_room(store, "r1"))
{'seq': 2}
room r1: 2 records, the chain holds (last hash ...)
"""

from accord.store.canonical import GENESIS_HASH, canonical_json, record_hash
from accord.store.chain import ChainReport, verify_chain
from accord.store.errors import DuplicateRequest, SequenceConflict, StoreError
from accord.store.fanout import Listener, Subscription
from accord.store.records import NewRecord, Notification, StoredRecord, StoredRequest
from accord.store.store import DEFAULT_URL, Store, open_store, verify_room

__all__ = [
    "DEFAULT_URL",
    "GENESIS_HASH",
    "ChainReport",
    "DuplicateRequest",
    "Listener",
    "NewRecord",
    "Notification",
    "SequenceConflict",
    "Store",
    "StoreError",
    "StoredRecord",
    "StoredRequest",
    "Subscription",
    "canonical_json",
    "open_store",
    "record_hash",
    "verify_chain",
    "verify_room",
]
