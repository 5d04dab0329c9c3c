"""The object store: objects by type, namespace and name, one global resourceVersion
counter, and the watch history (every change, until compacted or too old)."""
from __future__ import annotations

import collections
import copy
import secrets
import threading
import time
import uuid
from dataclasses import dataclass

from .resources import Resource

HISTORY_LIMIT = 20000


def now() -> str:
    """The current time as the API server writes timestamps (RFC 3339, seconds, UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Change:
    """One recorded change: the watch event type, the object after it (before, for
    DELETED it is the last state) and the object before it (None for ADDED)."""

    rv: int
    resource: Resource
    type: str
    obj: dict
    old: dict | None


class Store:
    """Thread-safe in-memory objects. Every method that changes an object bumps the
    global resourceVersion and records a Change; `lock` and `changed` (a Condition on
    it) let controllers and watches wait for changes."""

    def __init__(self):
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.rv = 0
        self.compacted_rv = 0
        self.history: collections.deque[Change] = collections.deque()
        self._objects: dict[str, dict[tuple[str, str], dict]] = {}
        self._uids: dict[str, tuple[Resource, str, str]] = {}

    # -- reading ---------------------------------------------------------------------

    def get(self, res: Resource, ns: str, name: str) -> dict | None:
        """A copy of the object, or None."""
        with self.lock:
            obj = self._objects.get(res.key, {}).get((ns if res.namespaced else "", name))
            return copy.deepcopy(obj) if obj is not None else None

    def list(self, res: Resource, ns: str | None = None) -> list[dict]:
        """Copies of the objects of a type (in one namespace when `ns` is given), sorted."""
        with self.lock:
            items = [o for (n, _), o in sorted(self._objects.get(res.key, {}).items())
                     if ns is None or not res.namespaced or n == ns]
            return copy.deepcopy(items)

    def by_uid(self, uid: str) -> tuple[Resource, str, str] | None:
        """The (type, namespace, name) of the object with this uid, if it exists."""
        with self.lock:
            return self._uids.get(uid)

    # -- changing --------------------------------------------------------------------

    def _record(self, res: Resource, type_: str, obj: dict, old: dict | None):
        self.history.append(Change(self.rv, res, type_, copy.deepcopy(obj), old))
        while len(self.history) > HISTORY_LIMIT:
            dropped = self.history.popleft()
            self.compacted_rv = dropped.rv
        self.changed.notify_all()

    def _bump(self, obj: dict) -> None:
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)

    def insert(self, res: Resource, obj: dict) -> dict:
        """Adds a new object (the caller checked it does not exist), filling in uid,
        creationTimestamp, generation, resourceVersion and a generated name."""
        with self.lock:
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                while True:
                    name = meta["generateName"] + "".join(secrets.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
                    if (meta.get("namespace", "") if res.namespaced else "", name) not in self._objects.get(res.key, {}):
                        break
                meta["name"] = name
            if not res.namespaced:
                meta.pop("namespace", None)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now()
            meta["generation"] = 1
            meta.pop("deletionTimestamp", None)
            meta.pop("deletionGracePeriodSeconds", None)
            obj["kind"], obj["apiVersion"] = res.kind, res.api_version
            self._bump(obj)
            key = (meta.get("namespace", "") if res.namespaced else "", meta["name"])
            self._objects.setdefault(res.key, {})[key] = copy.deepcopy(obj)
            self._uids[meta["uid"]] = (res, key[0], key[1])
            self._record(res, "ADDED", obj, None)
            return copy.deepcopy(obj)

    def replace(self, res: Resource, obj: dict) -> dict:
        """Stores a new state of an existing object (bumping generation when anything but
        metadata and status changed). Returns the stored copy; a no-op change keeps the
        resourceVersion. An object whose deletion is pending and whose finalizers are all
        gone is removed instead."""
        with self.lock:
            meta = obj["metadata"]
            key = (meta.get("namespace", "") if res.namespaced else "", meta["name"])
            old = self._objects[res.key][key]
            for field in ("uid", "creationTimestamp"):
                meta[field] = old["metadata"][field]
            if "deletionTimestamp" in old["metadata"]:
                meta["deletionTimestamp"] = old["metadata"]["deletionTimestamp"]
                if "deletionGracePeriodSeconds" in old["metadata"]:
                    meta["deletionGracePeriodSeconds"] = old["metadata"]["deletionGracePeriodSeconds"]
            meta["resourceVersion"] = old["metadata"]["resourceVersion"]
            meta["generation"] = old["metadata"].get("generation", 1)
            if _spec(obj) != _spec(old):
                meta["generation"] += 1
            if not meta.get("finalizers"):
                meta.pop("finalizers", None)
            if obj == old:
                return copy.deepcopy(old)
            if "deletionTimestamp" in meta and not meta.get("finalizers") and not (
                    res.kind == "Namespace" and (obj.get("spec") or {}).get("finalizers")):
                return self.remove(res, key[0], key[1])
            self._bump(obj)
            self._objects[res.key][key] = copy.deepcopy(obj)
            self._record(res, "MODIFIED", obj, copy.deepcopy(old))
            return copy.deepcopy(obj)

    def mutate(self, res: Resource, ns: str, name: str, fn) -> dict | None:
        """Applies `fn(obj)` to a copy of an existing object and stores the result;
        returns the stored object, or None when the object does not exist."""
        with self.lock:
            obj = self.get(res, ns, name)
            if obj is None:
                return None
            fn(obj)
            return self.replace(res, obj)

    def mark_deleted(self, res: Resource, ns: str, name: str, grace: int | None = None,
                     add_finalizer: str | None = None) -> dict:
        """Sets deletionTimestamp (and the grace period, an extra finalizer) on an object
        whose deletion must wait; returns it."""
        with self.lock:
            key = (ns if res.namespaced else "", name)
            old = self._objects[res.key][key]
            obj = copy.deepcopy(old)
            meta = obj["metadata"]
            if "deletionTimestamp" not in meta:
                meta["deletionTimestamp"] = now()
                if grace is not None:
                    meta["deletionGracePeriodSeconds"] = grace
            if add_finalizer and add_finalizer not in meta.setdefault("finalizers", []):
                meta["finalizers"].append(add_finalizer)
            if obj == old:
                return copy.deepcopy(old)
            self._bump(obj)
            self._objects[res.key][key] = copy.deepcopy(obj)
            self._record(res, "MODIFIED", obj, copy.deepcopy(old))
            return copy.deepcopy(obj)

    def remove(self, res: Resource, ns: str, name: str) -> dict | None:
        """Removes an object now (a DELETED event); returns its last state."""
        with self.lock:
            key = (ns if res.namespaced else "", name)
            obj = self._objects.get(res.key, {}).pop(key, None)
            if obj is None:
                return None
            self._uids.pop(obj["metadata"]["uid"], None)
            old = copy.deepcopy(obj)
            self._bump(obj)
            self._record(res, "DELETED", obj, old)
            return copy.deepcopy(obj)

    def compact(self) -> None:
        """Forgets the watch history: watches from any older resourceVersion get 410."""
        with self.lock:
            self.history.clear()
            self.compacted_rv = self.rv

    def changes_since(self, rv: int) -> list[Change]:
        """The recorded changes after `rv` (the caller checked rv >= compacted_rv)."""
        with self.lock:
            out = []
            for change in reversed(self.history):
                if change.rv <= rv:
                    break
                out.append(change)
            out.reverse()
            return out


def _spec(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "kind", "apiVersion")}
