"""Events the emulator's controllers, scheduler and kubelet record about objects."""
from __future__ import annotations

import secrets

from . import resources
from .store import Store, now

EVENTS = resources.by_kind("Event")


def record(store: Store, obj: dict, type_: str, reason: str, message: str, component: str) -> None:
    """Records an Event about `obj` in its namespace (`default` for cluster objects); a
    repeat of the same reason and message bumps `count` and `lastTimestamp`."""
    meta = obj["metadata"]
    ns = meta.get("namespace") or "default"
    with store.lock:
        for ev in store.list(EVENTS, ns):
            io = ev.get("involvedObject", {})
            if io.get("uid") == meta.get("uid") and ev.get("reason") == reason and ev.get("message") == message:
                def bump(e):
                    e["count"] = e.get("count", 1) + 1
                    e["lastTimestamp"] = now()
                store.mutate(EVENTS, ns, ev["metadata"]["name"], bump)
                return
        stamp = now()
        store.insert(EVENTS, {
            "metadata": {"name": f"{meta['name']}.{secrets.token_hex(8)}", "namespace": ns},
            "involvedObject": {"kind": obj.get("kind"), "apiVersion": obj.get("apiVersion"), "name": meta["name"],
                               "namespace": meta.get("namespace", ""), "uid": meta.get("uid"),
                               "resourceVersion": meta.get("resourceVersion")},
            "reason": reason, "message": message, "type": type_,
            "source": {"component": component, **({"host": "emulator-node"} if component == "kubelet" else {})},
            "reportingComponent": component, "reportingInstance": "emulator",
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1,
        })
