"""The StatefulSet controller: pods `<name>-<ordinal>`, their claims, rolling updates
and status."""
from __future__ import annotations

import hashlib
import json

from . import events
from .reconciler import PODS, PVCS, STS, Reconciler, pod_ready


class StatefulSetController(Reconciler):
    """Keeps each StatefulSet's pods and claims as its spec asks and its status current."""

    def reconcile(self) -> None:
        """Pods `<name>-<ordinal>` and their claims for each StatefulSet, and its status."""
        for sts in self.store.list(STS):
            if sts["metadata"].get("deletionTimestamp"):
                continue
            self._statefulset(sts)

    def _statefulset(self, sts: dict) -> None:
        meta, spec = sts["metadata"], sts["spec"]
        ns, name = meta["namespace"], meta["name"]
        template = spec.get("template") or {}
        revision = f"{name}-{hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:10]}"
        replicas = spec.get("replicas", 1)
        owned = {}
        for pod in self.store.list(PODS, ns):
            if any(r.get("uid") == meta["uid"] and r.get("controller") for r in pod["metadata"].get("ownerReferences", [])):
                try:
                    owned[int(pod["metadata"]["name"].rsplit("-", 1)[1])] = pod
                except (IndexError, ValueError):
                    continue
        parallel = spec.get("podManagementPolicy") == "Parallel"
        on_delete = (spec.get("updateStrategy") or {}).get("type") == "OnDelete"
        terminating = [i for i, p in owned.items() if p["metadata"].get("deletionTimestamp")]
        # scale down, highest ordinal first
        excess = sorted((i for i in owned if i >= replicas), reverse=True)
        for i in excess:
            if parallel or not terminating:
                self.delete(PODS, owned[i])
                events.record(self.store, sts, "Normal", "SuccessfulDelete",
                              f"delete Pod {name}-{i} in StatefulSet {name} successful", "statefulset-controller")
                terminating.append(i)
                if not parallel:
                    break
        # create missing pods (OrderedReady: each after its predecessors are Ready)
        for i in range(replicas):
            if i in owned:
                if not parallel and (not pod_ready(owned[i]) or owned[i]["metadata"].get("deletionTimestamp")):
                    break
                continue
            self._claims_for(sts, i)
            pod = self._pod_for(sts, i, revision)
            self.store.insert(PODS, pod)
            events.record(self.store, sts, "Normal", "SuccessfulCreate",
                          f"create Pod {name}-{i} in StatefulSet {name} successful", "statefulset-controller")
            if not parallel:
                break
        # rolling update: replace outdated pods, highest ordinal first, one at a time
        if not on_delete and not terminating:
            outdated = sorted((i for i, p in owned.items() if i < replicas and
                               p["metadata"].get("labels", {}).get("controller-revision-hash") != revision), reverse=True)
            others_ready = all(pod_ready(owned[i]) for i in owned if i not in outdated)
            if outdated and (parallel or others_ready):
                self.delete(PODS, owned[outdated[0]])
        pods = list(owned.values())
        ready = sum(1 for p in pods if pod_ready(p) and not p["metadata"].get("deletionTimestamp"))
        updated = sum(1 for p in pods if p["metadata"].get("labels", {}).get("controller-revision-hash") == revision)
        status = {"observedGeneration": meta.get("generation", 1), "replicas": len(pods), "readyReplicas": ready,
                  "currentReplicas": updated, "updatedReplicas": updated, "availableReplicas": ready,
                  "currentRevision": revision, "updateRevision": revision, "collisionCount": 0}

        def set_status(o):
            o["status"] = status
        self.store.mutate(STS, ns, name, set_status)

    def _pod_for(self, sts: dict, i: int, revision: str) -> dict:
        meta, spec = sts["metadata"], sts["spec"]
        template = json.loads(json.dumps(spec.get("template") or {}))
        tmeta = template.get("metadata") or {}
        name = f"{meta['name']}-{i}"
        pod_spec = template.get("spec") or {}
        pod_spec.setdefault("hostname", name)
        if spec.get("serviceName"):
            pod_spec.setdefault("subdomain", spec["serviceName"])
        vols = pod_spec.setdefault("volumes", [])
        for vct in spec.get("volumeClaimTemplates") or []:
            vname = vct["metadata"]["name"]
            if not any(v.get("name") == vname for v in vols):
                vols.append({"name": vname, "persistentVolumeClaim": {"claimName": f"{vname}-{meta['name']}-{i}"}})
        if not vols:
            pod_spec.pop("volumes")
        pod = {"metadata": {"name": name, "namespace": meta["namespace"],
                            "labels": {**(tmeta.get("labels") or {}), "controller-revision-hash": revision,
                                       "statefulset.kubernetes.io/pod-name": name, "apps.kubernetes.io/pod-index": str(i)},
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": meta["name"],
                                                 "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}]},
               "spec": pod_spec}
        if tmeta.get("annotations"):
            pod["metadata"]["annotations"] = tmeta["annotations"]
        self.api._default(PODS, pod)
        return pod

    def _claims_for(self, sts: dict, i: int) -> None:
        meta = sts["metadata"]
        for vct in sts["spec"].get("volumeClaimTemplates") or []:
            cname = f"{vct['metadata']['name']}-{meta['name']}-{i}"
            if self.store.get(PVCS, meta["namespace"], cname) is not None:
                continue
            labels = {**(vct["metadata"].get("labels") or {}),
                      **((sts["spec"].get("selector") or {}).get("matchLabels") or {})}
            pvc = {"metadata": {"name": cname, "namespace": meta["namespace"], "labels": labels},
                   "spec": json.loads(json.dumps(vct.get("spec") or {}))}
            if vct["metadata"].get("annotations"):
                pvc["metadata"]["annotations"] = vct["metadata"]["annotations"]
            self.api._default(PVCS, pvc)
            self.store.insert(PVCS, pvc)
            events.record(self.store, sts, "Normal", "SuccessfulCreate",
                          f"create Claim {cname} Pod {meta['name']}-{i} in StatefulSet {meta['name']} success",
                          "statefulset-controller")

