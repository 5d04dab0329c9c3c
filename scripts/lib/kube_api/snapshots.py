"""The snapshot controller: VolumeSnapshots of claims as copies of their directories."""
from __future__ import annotations

import os
import time

from . import scheduler, volumes
from .reconciler import PVCS, PVS, VS, VSC, VSCLASS, Reconciler
from .store import now

SNAPSHOT_CLASS_DEFAULT = "snapshot.storage.kubernetes.io/is-default-class"


class SnapshotController(Reconciler):
    """Takes snapshots, binds pre-provisioned contents, deletes contents of deleted snapshots."""

    def reconcile(self) -> None:
        """Takes snapshots of claims (copies of their directories), binds pre-provisioned
        contents, and deletes contents (and data) of deleted snapshots."""
        for snap in self.store.list(VS):
            meta, spec = snap["metadata"], snap.get("spec") or {}
            if meta.get("deletionTimestamp") or (snap.get("status") or {}).get("boundVolumeSnapshotContentName"):
                continue
            source = spec.get("source") or {}
            if source.get("volumeSnapshotContentName"):
                content = self.store.get(VSC, "", source["volumeSnapshotContentName"])
                if content is not None:
                    self._set_snapshot_status(snap, {
                        "boundVolumeSnapshotContentName": content["metadata"]["name"],
                        "readyToUse": bool((content.get("status") or {}).get("readyToUse", True)),
                        **({"restoreSize": str(content["status"]["restoreSize"])}
                           if (content.get("status") or {}).get("restoreSize") is not None else {})})
                continue
            self._take_snapshot(snap)
        for content in self.store.list(VSC):
            ref = content["spec"].get("volumeSnapshotRef") or {}
            if ref.get("uid") and self.store.by_uid(ref["uid"]) is None:
                if content["spec"].get("deletionPolicy") == "Delete":
                    self.store.remove(VSC, "", content["metadata"]["name"])
        snap_dir = os.path.join(self.state, "snapshots")
        if os.path.isdir(snap_dir):
            for entry in os.listdir(snap_dir):
                if self.store.get(VSC, "", entry) is None:
                    volumes.remove_tree(os.path.join(snap_dir, entry))

    def _set_snapshot_status(self, snap: dict, status: dict) -> None:
        def update(o):
            o["status"] = status
        self.store.mutate(VS, snap["metadata"]["namespace"], snap["metadata"]["name"], update)

    def _take_snapshot(self, snap: dict) -> None:
        meta, spec = snap["metadata"], snap["spec"]
        ns, claim = meta["namespace"], spec["source"].get("persistentVolumeClaimName")
        pvc = self.store.get(PVCS, ns, claim) if claim else None
        error = None
        if pvc is None:
            error = (f'failed to get input parameters to create snapshot {meta["name"]}: "persistentvolumeclaim '
                     f'\\"{claim}\\" not found"')
        elif pvc.get("status", {}).get("phase") != "Bound":
            error = f'the source claim "{claim}" is not bound'
        class_name = spec.get("volumeSnapshotClassName")
        vsclass = None
        if error is None:
            if class_name:
                vsclass = self.store.get(VSCLASS, "", class_name)
            else:
                vsclass = next((c for c in self.store.list(VSCLASS)
                                if c["metadata"].get("annotations", {}).get(SNAPSHOT_CLASS_DEFAULT) == "true"), None)
            if vsclass is None:
                error = (f'volumesnapshotclass.snapshot.storage.k8s.io "{class_name}" not found' if class_name
                         else "cannot find a default snapshot class")
        if error:
            if (snap.get("status") or {}).get("error", {}).get("message") != error:
                self._set_snapshot_status(snap, {"readyToUse": False, "error": {"message": error, "time": now()}})
                self.once(snap, "Warning", "SnapshotCreationFailed", error, "snapshot-controller")
            return
        pv = self.store.get(PVS, "", pvc["spec"]["volumeName"])
        if pv is None:
            return
        content_name = f"snapcontent-{meta['uid']}"
        path, _ = volumes.pv_path(self.state, pv)
        size = volumes.copy_tree(path, os.path.join(self.state, "snapshots", content_name))
        created_ns = time.time_ns()
        restore_size = (pvc.get("status", {}).get("capacity") or {}).get("storage") or str(size)
        if self.store.get(VSC, "", content_name) is None:
            self.store.insert(VSC, {
                "metadata": {"name": content_name},
                "spec": {"deletionPolicy": vsclass.get("deletionPolicy", "Delete"), "driver": vsclass["driver"],
                         "source": {"volumeHandle": pv["metadata"]["name"]},
                         "sourceVolumeMode": pv["spec"].get("volumeMode", "Filesystem"),
                         "volumeSnapshotClassName": vsclass["metadata"]["name"],
                         "volumeSnapshotRef": {"kind": "VolumeSnapshot", "apiVersion": "snapshot.storage.k8s.io/v1",
                                               "name": meta["name"], "namespace": ns, "uid": meta["uid"],
                                               "resourceVersion": meta["resourceVersion"]}},
                "status": {"creationTime": created_ns, "readyToUse": True, "restoreSize": int(scheduler.parse_quantity(restore_size)),
                           "snapshotHandle": content_name}})
        self._set_snapshot_status(snap, {"boundVolumeSnapshotContentName": content_name,
                                         "creationTime": now(), "readyToUse": True, "restoreSize": restore_size})
        self.once(snap, "Normal", "SnapshotReady", f"Snapshot {ns}/{meta['name']} is ready to use.",
                   "snapshot-controller")
