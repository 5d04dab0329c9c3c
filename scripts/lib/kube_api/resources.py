"""The resource types the emulator serves, with their discovery information."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    """One served resource type (group, version, plural name, kind, scope, subresources)."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    subresources: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    builtin: bool = True

    @property
    def api_version(self) -> str:
        """`v1` for the core group, `group/version` otherwise."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def key(self) -> str:
        """Unique key of the type in the store."""
        return f"{self.group}/{self.plural}"

    @property
    def singular(self) -> str:
        """The lowercase singular name."""
        return self.kind.lower()

    @property
    def has_status(self) -> bool:
        """Whether `status` is a subresource (not changeable through the main resource)."""
        return "status" in self.subresources


VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

ALL = [
    Resource("", "v1", "namespaces", "Namespace", False, ("status", "finalize"), ("ns",)),
    Resource("", "v1", "nodes", "Node", False, ("status",), ("no",)),
    Resource("", "v1", "pods", "Pod", True, ("status", "log", "exec"), ("po",)),
    Resource("", "v1", "services", "Service", True, ("status",), ("svc",)),
    Resource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("status",), ("pvc",)),
    Resource("", "v1", "persistentvolumes", "PersistentVolume", False, ("status",), ("pv",)),
    Resource("", "v1", "events", "Event", True, (), ("ev",)),
    Resource("", "v1", "secrets", "Secret", True),
    Resource("", "v1", "configmaps", "ConfigMap", True, (), ("cm",)),
    Resource("apps", "v1", "statefulsets", "StatefulSet", True, ("status", "scale"), ("sts",)),
    Resource("batch", "v1", "jobs", "Job", True, ("status",)),
    Resource("storage.k8s.io", "v1", "storageclasses", "StorageClass", False, (), ("sc",)),
    Resource("snapshot.storage.k8s.io", "v1", "volumesnapshots", "VolumeSnapshot", True, ("status",),
             ("vs",), builtin=False),
    Resource("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", "VolumeSnapshotContent", False,
             ("status",), ("vsc", "vscs"), builtin=False),
    Resource("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "VolumeSnapshotClass", False, (),
             ("vsclass", "vsclasses"), builtin=False),
]

BY_PATH = {(r.group, r.version, r.plural): r for r in ALL}
BY_KIND = {(r.api_version, r.kind): r for r in ALL}


def by_kind(kind: str) -> Resource:
    """The resource of a kind (kinds are unique among the served types)."""
    for r in ALL:
        if r.kind == kind:
            return r
    raise KeyError(kind)


def groups() -> dict[str, list[str]]:
    """Served API groups (excluding core) and their versions."""
    out: dict[str, list[str]] = {}
    for r in ALL:
        if r.group:
            out.setdefault(r.group, [])
            if r.version not in out[r.group]:
                out[r.group].append(r.version)
    return out


def resource_list(group: str, version: str) -> dict | None:
    """The APIResourceList of one group version, or None when it is not served."""
    items = []
    for r in ALL:
        if r.group != group or r.version != version:
            continue
        items.append({"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
                      "kind": r.kind, "verbs": VERBS, **({"shortNames": list(r.short_names)} if r.short_names else {})})
        for sub in r.subresources:
            kind = {"scale": "Scale", "log": "Pod", "exec": "PodExecOptions"}.get(sub, r.kind)
            verbs = {"log": ["get"], "exec": ["create", "get"], "finalize": ["update"]}.get(sub, ["get", "patch", "update"])
            entry = {"name": f"{r.plural}/{sub}", "singularName": "", "namespaced": r.namespaced, "kind": kind,
                     "verbs": verbs}
            if sub == "scale":
                entry.update(group="autoscaling", version="v1")
            items.append(entry)
    if not items:
        return None
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version, "resources": items}
