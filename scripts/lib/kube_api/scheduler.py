"""The scheduler of the emulator's single node: resources, nodeSelector, required node
affinity, taints and tolerations, and claims that must exist first."""
from __future__ import annotations

import re

from . import events, resources
from .store import Store, now

PODS = resources.by_kind("Pod")
PVCS = resources.by_kind("PersistentVolumeClaim")
_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
             "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


def parse_quantity(value) -> float:
    """A Kubernetes quantity ("500m", "2Gi", 3) as a number."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.match(r"^([+-]?[0-9.]+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$", str(value).strip())
    if not m or m.group(3) not in _SUFFIXES:
        return 0.0
    number = float(m.group(1)) * (10 ** int(m.group(2)) if m.group(2) else 1)
    return number * _SUFFIXES[m.group(3)]


def pod_requests(pod: dict) -> dict[str, float]:
    """The pod's requests (limits stand in for missing requests, as Kubernetes defaults them)."""
    total: dict[str, float] = {}
    for c in pod["spec"].get("containers", []):
        r = c.get("resources") or {}
        merged = dict(r.get("limits") or {})
        merged.update(r.get("requests") or {})
        for k, v in merged.items():
            total[k] = total.get(k, 0.0) + parse_quantity(v)
    return total


def _tolerates(pod: dict, taint: dict) -> bool:
    for t in pod["spec"].get("tolerations") or []:
        if t.get("effect") and t["effect"] != taint.get("effect"):
            continue
        if t.get("operator") == "Exists" and (not t.get("key") or t["key"] == taint["key"]):
            return True
        if t.get("key") == taint["key"] and t.get("value", "") == taint.get("value", ""):
            return True
    return False


def _affinity_ok(pod: dict, labels: dict) -> bool:
    required = (((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        return True
    for term in terms:
        ok = True
        for e in term.get("matchExpressions") or []:
            key, op, vals = e.get("key"), e.get("operator"), e.get("values") or []
            if (op == "In" and labels.get(key) not in vals) or (op == "NotIn" and labels.get(key) in vals) \
                    or (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels):
                ok = False
        if ok:
            return True
    return False


def unschedulable_reasons(store: Store, node, pod: dict) -> list[str]:
    """Why the pod does not fit the node (empty when it fits)."""
    reasons = []
    for k, v in (pod["spec"].get("nodeSelector") or {}).items():
        if node.labels.get(k) != v:
            reasons.append("1 node(s) didn't match Pod's node affinity/selector")
            break
    else:
        if not _affinity_ok(pod, node.labels):
            reasons.append("1 node(s) didn't match Pod's node affinity/selector")
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(pod, taint):
            value = f": {taint['value']}" if taint.get("value") else ""
            reasons.append(f"1 node(s) had untolerated taint {{{taint['key']}{value}}}")
    used: dict[str, float] = {}
    for other in store.list(PODS):
        if other["spec"].get("nodeName") == node.name and other.get("status", {}).get("phase") not in (
                "Succeeded", "Failed"):
            for k, v in pod_requests(other).items():
                used[k] = used.get(k, 0.0) + v
    for k, v in sorted(pod_requests(pod).items()):
        if v <= 0:
            continue
        if k not in node.allocatable or used.get(k, 0.0) + v > node.allocatable[k] + 1e-9:
            reasons.append(f"1 Insufficient {k}")
    return reasons


def schedule(store: Store, node, reported: set) -> None:
    """Binds every pending pod that fits; marks the others Unschedulable with a
    FailedScheduling Event (one per distinct reason)."""
    for pod in store.list(PODS):
        meta, spec = pod["metadata"], pod["spec"]
        if spec.get("nodeName") or meta.get("deletionTimestamp"):
            continue
        if spec.get("schedulerName", "default-scheduler") != "default-scheduler":
            continue
        ns = meta["namespace"]
        message = None
        for vol in spec.get("volumes") or []:
            claim = (vol.get("persistentVolumeClaim") or {}).get("claimName")
            if claim and store.get(PVCS, ns, claim) is None:
                message = f'0/1 nodes are available: persistentvolumeclaim "{claim}" not found.'
                break
            if claim and store.get(PVCS, ns, claim).get("status", {}).get("phase") != "Bound":
                message = ""  # wait quietly for the claim to bind
        if message is None:
            reasons = unschedulable_reasons(store, node, pod)
            if reasons:
                message = "0/1 nodes are available: " + ", ".join(reasons) + "."
        if message == "":
            continue
        if message:
            def unschedulable(p, message=message):
                set_condition(p, "PodScheduled", "False", "Unschedulable", message)
            store.mutate(PODS, ns, meta["name"], unschedulable)
            if (meta["uid"], message) not in reported:
                reported.add((meta["uid"], message))
                events.record(store, pod, "Warning", "FailedScheduling", message, "default-scheduler")
            continue

        def bind(p):
            p["spec"]["nodeName"] = node.name
            set_condition(p, "PodScheduled", "True", None, None)
        bound = store.mutate(PODS, ns, meta["name"], bind)
        events.record(store, bound, "Normal", "Scheduled",
                      f"Successfully assigned {ns}/{meta['name']} to {node.name}", "default-scheduler")


def set_condition(pod: dict, type_: str, status: str, reason: str | None, message: str | None) -> None:
    """Sets a pod condition (lastTransitionTime changes only when the status does)."""
    conds = pod.setdefault("status", {}).setdefault("conditions", [])
    for c in conds:
        if c["type"] == type_:
            if c.get("status") != status:
                c["lastTransitionTime"] = now()
            c["status"] = status
            c.pop("reason", None)
            c.pop("message", None)
            break
    else:
        c = {"type": type_, "status": status, "lastProbeTime": None, "lastTransitionTime": now()}
        conds.append(c)
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
