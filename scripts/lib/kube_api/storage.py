"""The volume controller: provisioning (hostpath directories, restores from snapshots),
binding, expansion, claim protection and reclaiming."""
from __future__ import annotations

import os

from . import events, scheduler, volumes
from .reconciler import PVCS, PVS, SC, VS, Reconciler
from .store import now


class VolumeController(Reconciler):
    """Provisions or binds pending claims; releases protected claims nobody uses; reclaims
    volumes whose claim is gone."""

    def reconcile(self) -> None:
        """Binds and provisions claims, then reclaims volumes whose claim is gone."""
        self.claims()
        self.volumes()

    def claims(self) -> None:
        """Provisions or binds pending claims; releases protected claims nobody uses."""
        for pvc in self.store.list(PVCS):
            meta, spec = pvc["metadata"], pvc["spec"]
            ns, name = meta["namespace"], meta["name"]
            if meta.get("deletionTimestamp"):
                if "kubernetes.io/pvc-protection" in (meta.get("finalizers") or []) and not self.claim_users(ns, name):
                    self.drop_finalizer(PVCS, pvc, "kubernetes.io/pvc-protection")
                continue
            if pvc.get("status", {}).get("phase") == "Bound":
                self._expand(pvc)
                continue
            if spec.get("volumeName"):
                self._bind_existing(pvc)
                continue
            class_name = spec.get("storageClassName")
            if self._bind_static(pvc) or not class_name:
                continue
            sc = self.store.get(SC, "", class_name)
            if sc is None:
                self.once(pvc, "Warning", "ProvisioningFailed",
                           f'storageclass.storage.k8s.io "{class_name}" not found', "persistentvolume-controller")
                continue
            if sc.get("volumeBindingMode") == "WaitForFirstConsumer" and not self.claim_users(ns, name):
                self.once(pvc, "Normal", "WaitForFirstConsumer",
                           "waiting for first consumer to be created before binding", "persistentvolume-controller")
                continue
            self._provision(pvc, sc)

    def _bind_existing(self, pvc: dict) -> None:
        meta = pvc["metadata"]
        pv = self.store.get(PVS, "", pvc["spec"]["volumeName"])
        if pv is None:
            self.once(pvc, "Warning", "FailedBinding", f'volume "{pvc["spec"]["volumeName"]}" not found',
                       "persistentvolume-controller")
            return
        ref = pv["spec"].get("claimRef") or {}
        if ref.get("uid") and ref["uid"] != meta["uid"] or ref.get("name") and (
                ref.get("name"), ref.get("namespace")) != (meta["name"], meta["namespace"]):
            self.once(pvc, "Warning", "FailedBinding", f'volume "{pv["metadata"]["name"]}" is bound to another claim',
                       "persistentvolume-controller")
            return
        self._bind(pvc, pv)

    def _expand(self, pvc: dict) -> None:
        """Online expansion of a bound claim whose request grew past its capacity, as the
        external resizer and the kubelet do it, one step per pass: the volume is resized
        (condition Resizing, `allocatedResources`), then the filesystem waits for a running
        pod that mounts the claim (FileSystemResizePending), which expands it: the new
        capacity is in the status and the conditions are gone."""
        meta, status = pvc["metadata"], pvc.get("status") or {}
        request = ((pvc["spec"].get("resources") or {}).get("requests") or {}).get("storage", "0")
        capacity = (status.get("capacity") or {}).get("storage", "0")
        if scheduler.parse_quantity(request) <= scheduler.parse_quantity(capacity):
            return
        ns, name = meta["namespace"], meta["name"]
        conditions = {c.get("type") for c in status.get("conditions") or []}
        stamp = {"lastProbeTime": None, "lastTransitionTime": now()}
        if "Resizing" not in conditions and "FileSystemResizePending" not in conditions:
            pv_name = pvc["spec"].get("volumeName", "")

            def resize_pv(o):
                o["spec"]["capacity"] = {"storage": request}
            if self.store.get(PVS, "", pv_name) is not None:
                self.store.mutate(PVS, "", pv_name, resize_pv)

            def resizing(o):
                o["status"]["allocatedResources"] = {"storage": request}
                o["status"]["conditions"] = [{"type": "Resizing", "status": "True", **stamp}]
            self.store.mutate(PVCS, ns, name, resizing)
            events.record(self.store, pvc, "Normal", "Resizing", f"External resizer is resizing volume {pv_name}",
                          "external-resizer emulator.sessiongw.io")
        elif "Resizing" in conditions:
            def pending(o):
                o["status"]["conditions"] = [{
                    "type": "FileSystemResizePending", "status": "True", **stamp,
                    "message": "Waiting for user to (re-)start a pod to finish file system resize of volume on node."}]
            self.store.mutate(PVCS, ns, name, pending)
        elif any(p.get("status", {}).get("phase") == "Running" for p in self.claim_users(ns, name)):
            def expanded(o):
                o["status"]["capacity"] = {"storage": request}
                o["status"].pop("conditions", None)
            self.store.mutate(PVCS, ns, name, expanded)
            events.record(self.store, pvc, "Normal", "FileSystemResizeSuccessful",
                          f"MountVolume.NodeExpandVolume succeeded for volume {pvc['spec'].get('volumeName', '')}",
                          "kubelet")

    def _bind_static(self, pvc: dict) -> bool:
        """Binds the claim to an available PV that is pre-bound to it or that matches its
        class, access modes and size (as the PV controller does); True when bound."""
        meta, spec = pvc["metadata"], pvc["spec"]
        want = scheduler.parse_quantity(((spec.get("resources") or {}).get("requests") or {}).get("storage", "0"))
        candidates = []
        for pv in self.store.list(PVS):
            ref = pv["spec"].get("claimRef") or {}
            if pv.get("status", {}).get("phase") != "Available" or pv["metadata"].get("deletionTimestamp"):
                continue
            if ref:
                if (ref.get("name"), ref.get("namespace")) == (meta["name"], meta["namespace"]) and \
                        ref.get("uid") in (None, "", meta["uid"]):
                    self._bind(pvc, pv)
                    return True
                continue
            if pv["spec"].get("storageClassName", "") != (spec.get("storageClassName") or ""):
                continue
            if not set(spec.get("accessModes") or []) <= set(pv["spec"].get("accessModes") or []):
                continue
            size = scheduler.parse_quantity((pv["spec"].get("capacity") or {}).get("storage", "0"))
            if size >= want:
                candidates.append((size, pv))
        if candidates:
            self._bind(pvc, min(candidates, key=lambda c: c[0])[1])
            return True
        return False

    def _bind(self, pvc: dict, pv: dict) -> None:
        meta = pvc["metadata"]

        def bind_pv(o):
            o["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": meta["namespace"],
                                     "name": meta["name"], "uid": meta["uid"], "apiVersion": "v1",
                                     "resourceVersion": meta["resourceVersion"]}
            o["status"] = {"phase": "Bound"}
        pv = self.store.mutate(PVS, "", pv["metadata"]["name"], bind_pv)

        def bind_pvc(o):
            o["spec"]["volumeName"] = pv["metadata"]["name"]
            ann = o["metadata"].setdefault("annotations", {})
            ann["pv.kubernetes.io/bind-completed"] = "yes"
            o["status"] = {"phase": "Bound", "accessModes": pv["spec"].get("accessModes", []),
                           "capacity": pv["spec"].get("capacity", {})}
        self.store.mutate(PVCS, meta["namespace"], meta["name"], bind_pvc)

    def _provision(self, pvc: dict, sc: dict) -> None:
        meta, spec = pvc["metadata"], pvc["spec"]
        source = spec.get("dataSourceRef") or spec.get("dataSource")
        content_dir = None
        if source:
            if source.get("kind") != "VolumeSnapshot":
                self.once(pvc, "Warning", "ProvisioningFailed",
                           f"data source kind {source.get('kind')} is not supported", "persistentvolume-controller")
                return
            snap = self.store.get(VS, source.get("namespace") or meta["namespace"], source.get("name", ""))
            if snap is None or not snap.get("status", {}).get("readyToUse"):
                why = "not found" if snap is None else "not ready to use"
                self.once(pvc, "Warning", "ProvisioningFailed",
                           f'failed to provision volume with StorageClass "{sc["metadata"]["name"]}": error getting '
                           f'handle for DataSource Type VolumeSnapshot by Name {source.get("name")}: snapshot '
                           f'{source.get("name")} is {why}', "persistentvolume-controller")
                return
            content_dir = os.path.join(self.state, "snapshots", snap["status"]["boundVolumeSnapshotContentName"])
        pv_name = f"pvc-{meta['uid']}"
        request = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")
        pv = {"metadata": {"name": pv_name, "annotations": {"pv.kubernetes.io/provisioned-by": sc["provisioner"]},
                           "finalizers": ["kubernetes.io/pv-protection"]},
              "spec": {"capacity": {"storage": request}, "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
                       "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy", "Delete"),
                       "storageClassName": sc["metadata"]["name"], "volumeMode": spec.get("volumeMode", "Filesystem"),
                       "csi": {"driver": sc["provisioner"], "volumeHandle": pv_name},
                       **({"mountOptions": sc["mountOptions"]} if sc.get("mountOptions") else {})},
              "status": {"phase": "Available"}}
        path = os.path.join(self.state, "volumes", pv_name)
        if content_dir and os.path.isdir(content_dir):
            volumes.copy_tree(content_dir, path)
        else:
            os.makedirs(path, exist_ok=True)
        pv = self.store.insert(PVS, pv)
        events.record(self.store, pvc, "Normal", "ProvisioningSucceeded",
                      f"Successfully provisioned volume {pv_name}", "persistentvolume-controller")
        self._bind(self.store.get(PVCS, meta["namespace"], meta["name"]), pv)

    def volumes(self) -> None:
        """Reclaims volumes whose claim is gone (Delete: the PV and its data; Retain: Released)."""
        for pv in self.store.list(PVS):
            meta = pv["metadata"]
            ref = pv["spec"].get("claimRef") or {}
            if meta.get("deletionTimestamp"):
                if ref.get("uid") and self.store.by_uid(ref["uid"]) is not None:
                    continue
                self.drop_finalizer(PVS, pv, "kubernetes.io/pv-protection")
                self._remove_data(pv)
                continue
            if not ref.get("uid") or self.store.by_uid(ref["uid"]) is not None:
                continue
            if pv["spec"].get("persistentVolumeReclaimPolicy") == "Delete":
                self.store.mark_deleted(PVS, "", meta["name"])
                self.drop_finalizer(PVS, pv, "kubernetes.io/pv-protection")
                if self.store.get(PVS, "", meta["name"]) is not None and not (
                        self.store.get(PVS, "", meta["name"])["metadata"].get("finalizers")):
                    self.store.remove(PVS, "", meta["name"])
                self._remove_data(pv)
            elif pv.get("status", {}).get("phase") != "Released":
                def released(o):
                    o["status"] = {"phase": "Released"}
                self.store.mutate(PVS, "", meta["name"], released)

    def _remove_data(self, pv: dict) -> None:
        if (pv["spec"].get("csi") or {}).get("driver") == volumes.EMULATOR_DRIVER:
            volumes.remove_tree(os.path.join(self.state, "volumes", pv["metadata"]["name"]))

