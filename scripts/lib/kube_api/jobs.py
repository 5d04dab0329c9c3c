"""The Job controller (batch/v1): one pod at a time from the template, retried up to
`backoffLimit` failures, `activeDeadlineSeconds` enforced, and the status and
conditions the API server's controller writes (Complete, or Failed with
BackoffLimitExceeded or DeadlineExceeded)."""
from __future__ import annotations

import json
import secrets
import time
from datetime import datetime, timezone

from . import events
from .reconciler import JOBS, PODS, Reconciler
from .store import now

COMPONENT = "job-controller"


def _finished(job: dict) -> bool:
    return any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
               for c in (job.get("status") or {}).get("conditions") or [])


def _seconds_since(stamp: str) -> float:
    started = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return time.time() - started.timestamp()


class JobController(Reconciler):
    """Runs each unfinished Job's pods and keeps its status current."""

    def reconcile(self) -> None:
        """One pass over the Jobs."""
        for job in self.store.list(JOBS):
            if job["metadata"].get("deletionTimestamp") or _finished(job) or (job.get("spec") or {}).get("suspend"):
                continue
            self._job(job)

    def _job(self, job: dict) -> None:
        meta, spec = job["metadata"], job["spec"]
        ns, name = meta["namespace"], meta["name"]
        pods = [p for p in self.store.list(PODS, ns)
                if any(r.get("uid") == meta["uid"] and r.get("controller") for r in p["metadata"].get("ownerReferences", []))]
        phases = [(p.get("status") or {}).get("phase") for p in pods]
        succeeded, failed = phases.count("Succeeded"), phases.count("Failed")
        active = sum(1 for p, phase in zip(pods, phases)
                     if phase not in ("Succeeded", "Failed") and not p["metadata"].get("deletionTimestamp"))
        status = dict(job.get("status") or {})
        status.setdefault("startTime", now())
        conditions = []
        deadline = spec.get("activeDeadlineSeconds")
        if succeeded >= spec.get("completions", 1):
            stamp = now()
            conditions = [{"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
                           "message": "Reached expected number of succeeded pods"},
                          {"type": "Complete", "status": "True", "reason": "CompletionsReached",
                           "message": "Reached expected number of succeeded pods"}]
            status["completionTime"] = stamp
            events.record(self.store, job, "Normal", "Completed", "Job completed", COMPONENT)
        elif failed > spec.get("backoffLimit", 6):
            conditions = self._failed(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        elif deadline is not None and _seconds_since(status["startTime"]) > deadline:
            for pod, phase in zip(pods, phases):
                if phase not in ("Succeeded", "Failed"):
                    self.delete(PODS, pod)
            conditions = self._failed(job, "DeadlineExceeded", "Job was active longer than specified deadline")
        elif active == 0:
            pod = self._pod_for(job)
            self.store.insert(PODS, pod)
            events.record(self.store, job, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}",
                          COMPONENT)
            active = 1
        for condition in conditions:
            condition.update(lastProbeTime=now(), lastTransitionTime=now())
        status.update(active=active if not conditions else 0, succeeded=succeeded, failed=failed,
                      ready=0, terminating=0)
        if conditions:
            status["conditions"] = conditions
        for key in ("active", "succeeded", "failed", "ready", "terminating"):
            if not status[key]:
                status.pop(key)

        def set_status(o):
            o["status"] = status
        if status != job.get("status"):
            self.store.mutate(JOBS, ns, name, set_status)

    def _failed(self, job: dict, reason: str, message: str) -> list[dict]:
        """The conditions of a Job that failed for `reason`, and its Warning event."""
        events.record(self.store, job, "Warning", reason, message, COMPONENT)
        return [{"type": kind, "status": "True", "reason": reason, "message": message}
                for kind in ("FailureTarget", "Failed")]

    def _pod_for(self, job: dict) -> dict:
        meta, spec = job["metadata"], job["spec"]
        template = json.loads(json.dumps(spec.get("template") or {}))
        tmeta = template.get("metadata") or {}
        labels = {**(tmeta.get("labels") or {}), "batch.kubernetes.io/controller-uid": meta["uid"],
                  "batch.kubernetes.io/job-name": meta["name"], "controller-uid": meta["uid"], "job-name": meta["name"]}
        name = f"{meta['name']}-" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
        pod = {"metadata": {"name": name, "namespace": meta["namespace"], "labels": labels,
                            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": meta["name"],
                                                 "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}]},
               "spec": template.get("spec") or {}}
        if tmeta.get("annotations"):
            pod["metadata"]["annotations"] = tmeta["annotations"]
        self.api._default(PODS, pod)
        return pod
