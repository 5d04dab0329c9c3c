"""Watch streams: the events of one resource type (in one namespace, matching selectors)
after a resourceVersion, with bookmarks, timeouts and 410 Expired for compacted history."""
from __future__ import annotations

import time

from .resources import Resource
from .selector import fields_match, labels_match, parse_fields, parse_labels
from .status import ApiError, status_body
from .store import Store

DROP = object()
"""Yielded when the stream must end abruptly (a fault rule), without a terminating chunk."""


def expired_event(rv: int) -> dict:
    """The ERROR event a watch from a compacted resourceVersion gets."""
    return {"type": "ERROR", "object": status_body(
        410, f"too old resource version: {rv} (compacted)", "Expired")}


def events(store: Store, res: Resource, ns: str | None, query: dict, *, bookmark_seconds: float,
           drop_after: int | None, stopped) -> "iterator":
    """Yields watch events (dicts), DROP, or None as a keep-alive tick about twice a second;
    ends at timeoutSeconds, after an ERROR event, or when `stopped()` is true. Without a
    resourceVersion (or "0", or with sendInitialEvents=true) the current objects come
    first as ADDED events (then, for a watch-list with bookmarks, a BOOKMARK annotated
    k8s.io/initial-events-end)."""
    lsel = parse_labels(query.get("labelSelector"))
    fsel = parse_fields(query.get("fieldSelector"))
    bookmarks = query.get("allowWatchBookmarks") in ("true", "1")
    try:
        timeout = float(query.get("timeoutSeconds") or 1800)
    except ValueError:
        raise ApiError(400, f"timeoutSeconds must be a number, not {query.get('timeoutSeconds')!r}",
                       "BadRequest") from None
    deadline = time.monotonic() + timeout
    sent = 0

    def matches(obj):
        if obj is None:
            return False
        if ns is not None and res.namespaced and obj["metadata"].get("namespace") != ns:
            return False
        return labels_match(lsel, obj["metadata"].get("labels")) and fields_match(fsel, obj)

    raw_rv = query.get("resourceVersion") or "0"
    send_initial = query.get("sendInitialEvents") == "true"
    initial = []
    with store.lock:
        if raw_rv == "0" or send_initial:
            last = store.rv
            initial = [{"type": "ADDED", "object": o} for o in store.list(res, ns) if matches(o)]
        else:
            try:
                last = int(raw_rv)
            except ValueError:
                yield {"type": "ERROR", "object": status_body(400, f"invalid resourceVersion {raw_rv!r}", "BadRequest")}
                return
            if last < store.compacted_rv:
                yield expired_event(last)
                return
    for ev in initial:
        yield ev
        sent += 1
        if drop_after is not None and sent >= drop_after:
            yield DROP
            return
    if send_initial and bookmarks:  # the end of a watch-list's initial events
        yield {"type": "BOOKMARK", "object": {"kind": res.kind, "apiVersion": res.api_version, "metadata": {
            "resourceVersion": str(last), "annotations": {"k8s.io/initial-events-end": "true"}}}}
    next_bookmark = time.monotonic() + bookmark_seconds
    while not stopped() and time.monotonic() < deadline:
        with store.lock:
            if store.rv <= last:
                store.changed.wait(timeout=min(0.5, max(0.01, deadline - time.monotonic())))
            if last < store.compacted_rv:
                yield expired_event(last)
                return
            changes = store.changes_since(last)
            current = store.rv
        for ch in changes:
            last = ch.rv
            if ch.resource.key != res.key:
                continue
            new_match = matches(ch.obj) if ch.type != "DELETED" else False
            old_match = matches(ch.old)
            if ch.type == "ADDED" and new_match:
                kind = "ADDED"
            elif ch.type == "MODIFIED" and new_match:
                kind = "MODIFIED" if old_match else "ADDED"
            elif ch.type in ("MODIFIED", "DELETED") and old_match:
                kind = "DELETED"
            else:
                continue
            yield {"type": kind, "object": ch.obj}
            sent += 1
            if drop_after is not None and sent >= drop_after:
                yield DROP
                return
        last = max(last, current)
        if bookmarks and time.monotonic() >= next_bookmark:
            next_bookmark = time.monotonic() + bookmark_seconds
            yield {"type": "BOOKMARK", "object": {"kind": res.kind, "apiVersion": res.api_version,
                                                   "metadata": {"resourceVersion": str(last)}}}
        elif not changes:
            yield None
