"""The base of the emulator's controllers: shared types and helpers."""
from __future__ import annotations

from . import events, resources
from .status import ApiError
from .store import Store

R = resources.by_kind
NS, PODS, PVCS, PVS = R("Namespace"), R("Pod"), R("PersistentVolumeClaim"), R("PersistentVolume")
STS, SC, NODES, JOBS = R("StatefulSet"), R("StorageClass"), R("Node"), R("Job")
VS, VSC, VSCLASS = R("VolumeSnapshot"), R("VolumeSnapshotContent"), R("VolumeSnapshotClass")


def pod_ready(pod: dict) -> bool:
    """Whether the pod's Ready condition is True."""
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


class Reconciler:
    """A controller: `reconcile()` runs one pass under the store's lock; the helpers
    record Events once, delete objects through the API's semantics and drop finalizers."""

    def __init__(self, store: Store, api, state: str, reported: set):
        self.store, self.api, self.state = store, api, state
        self._reported = reported

    def reconcile(self) -> None:
        """One pass over the controller's objects."""
        raise NotImplementedError

    def once(self, obj: dict, type_: str, reason: str, message: str, component: str) -> None:
        """Records an Event about `obj` unless this reason and message were recorded before."""
        key = (obj["metadata"]["uid"], reason, message)
        if key not in self._reported:
            self._reported.add(key)
            events.record(self.store, obj, type_, reason, message, component)

    def delete(self, res, obj, policy: str | None = None) -> None:
        """Deletes `obj` as a client's DELETE would (graceful for pods), unless it is already being deleted."""
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            return
        try:
            self.api.delete(res, meta.get("namespace", ""), meta["name"],
                            {"propagationPolicy": policy} if policy else {})
        except ApiError:
            pass

    def drop_finalizer(self, res, obj, finalizer: str) -> None:
        """Removes one finalizer (the object goes when it was the last of a deleted object)."""
        def drop(o):
            o["metadata"]["finalizers"] = [f for f in o["metadata"].get("finalizers", []) if f != finalizer]
        self.store.mutate(res, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], drop)

    def claim_users(self, ns: str, claim: str) -> list[dict]:
        """The pods (not finished) that use the claim."""
        return [p for p in self.store.list(PODS, ns)
                if p.get("status", {}).get("phase") not in ("Succeeded", "Failed")
                and any((v.get("persistentVolumeClaim") or {}).get("claimName") == claim
                        for v in p["spec"].get("volumes") or [])]
