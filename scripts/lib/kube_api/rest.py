"""The API's verbs on stored objects, with the API server's conventions: defaulting,
validation, optimistic concurrency, status subresources, deletion with finalizers,
graceful pod deletion and propagation policies."""
from __future__ import annotations

import base64
import copy
import ipaddress
import json
import threading

from . import patch as patching
from . import resources
from .resources import Resource
from .scheduler import parse_quantity
from .selector import fields_match, labels_match, parse_fields, parse_labels
from .status import ApiError, already_exists, conflict, invalid, not_found
from .store import Store

NAMESPACES = resources.by_kind("Namespace")
STORAGE_CLASSES = resources.by_kind("StorageClass")
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
SCALE = Resource("autoscaling", "v1", "scale", "Scale", True)
"""The StatefulSet scale subresource's type (validated like other objects clients send)."""


class Api:
    """The REST semantics over a Store, recording every validation of a client's object."""

    def __init__(self, store: Store, validator):
        self.store = store
        self.validator = validator
        self.validations: list[dict] = []
        self._vlock = threading.Lock()
        self._next_cluster_ip = int(ipaddress.ip_address("10.96.0.10"))

    # -- reading ---------------------------------------------------------------------

    def get(self, res: Resource, ns: str, name: str) -> dict:
        """One object, or 404."""
        obj = self.store.get(res, ns, name)
        if obj is None:
            raise not_found(res, name)
        return obj

    def list(self, res: Resource, ns: str | None, query: dict) -> dict:
        """A List object honouring labelSelector, fieldSelector, limit and continue."""
        lsel = parse_labels(query.get("labelSelector"))
        fsel = parse_fields(query.get("fieldSelector"))
        with self.store.lock:
            rv = self.store.rv
            items = [o for o in self.store.list(res, ns)
                     if labels_match(lsel, o["metadata"].get("labels")) and fields_match(fsel, o)]
        meta: dict = {"resourceVersion": str(rv)}
        token = query.get("continue")
        if token:
            try:
                start = json.loads(base64.urlsafe_b64decode(token.encode()).decode())["start"]
            except (ValueError, KeyError, TypeError):
                raise ApiError(400, "continue key is not valid", "BadRequest") from None
            items = [o for o in items if [o["metadata"].get("namespace", ""), o["metadata"]["name"]] > start]
        try:
            limit = int(query.get("limit") or 0)
        except ValueError:
            raise ApiError(400, f"limit must be an integer, not {query.get('limit')!r}", "BadRequest") from None
        if limit > 0 and len(items) > limit:
            last = items[limit - 1]["metadata"]
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(
                {"start": [last.get("namespace", ""), last["name"]]}).encode()).decode()
            meta["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        if res.builtin:
            for o in items:
                o.pop("kind", None)
                o.pop("apiVersion", None)
        return {"kind": f"{res.kind}List", "apiVersion": res.api_version, "metadata": meta, "items": items}

    # -- validation --------------------------------------------------------------------

    def validate(self, res: Resource, obj: dict) -> None:
        """Validates a client's object (recording the result); 422 Invalid when it is not."""
        self._validate(res, obj)

    def _validate(self, res: Resource, obj: dict) -> None:
        causes = self.validator.causes(obj)
        meta = obj.get("metadata") or {}
        name = meta.get("name") or meta.get("generateName") or ""
        with self._vlock:
            self.validations.append({"kind": res.kind, "name": name, "namespace": meta.get("namespace", ""),
                                     "valid": not causes,
                                     "message": "; ".join(f"{c['field']}: {c['message']}" for c in causes)})
        if causes:
            raise invalid(res, name, causes)

    def validations_for(self, ns: str | None) -> list[dict]:
        """The recorded validations (of one namespace when `ns` is given)."""
        with self._vlock:
            return [dict(v) for v in self.validations if ns is None or v["namespace"] == ns]

    # -- writing -----------------------------------------------------------------------

    def _check_body(self, res: Resource, ns: str, body, name: str | None = None) -> dict:
        if not isinstance(body, dict):
            raise ApiError(400, "the request body must be a JSON object", "BadRequest")
        body = copy.deepcopy(body)
        if body.get("kind") not in (None, "", res.kind) or body.get("apiVersion") not in (None, "", res.api_version):
            raise ApiError(400, f"the body of the request was in an unknown format: expected {res.api_version} "
                                f"{res.kind}, got {body.get('apiVersion')} {body.get('kind')}", "BadRequest")
        body["kind"], body["apiVersion"] = res.kind, res.api_version
        meta = body.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise ApiError(400, "metadata must be an object", "BadRequest")
        if res.namespaced:
            if meta.get("namespace") not in (None, "", ns):
                raise ApiError(400, "the namespace of the provided object does not match the namespace sent on the "
                                    "request", "BadRequest")
            meta["namespace"] = ns
        if name is not None and meta.get("name") not in (None, name):
            raise ApiError(400, "the name of the object does not match the name on the URL", "BadRequest")
        if name is not None:
            meta["name"] = name
        return body

    def _namespace_ready(self, res: Resource, ns: str) -> None:
        if not res.namespaced:
            return
        nso = self.store.get(NAMESPACES, "", ns)
        if nso is None:
            raise ApiError(404, f'namespaces "{ns}" not found', "NotFound", name=ns, kind="namespaces")
        if nso["metadata"].get("deletionTimestamp"):
            raise ApiError(403, f'{res.plural} "{ns}" is forbidden: unable to create new content in namespace {ns} '
                                "because it is being terminated", "Forbidden")

    def create(self, res: Resource, ns: str, body, dry_run: bool = False) -> dict:
        """POST: validates, defaults and stores a new object; 409 when the name is taken."""
        obj = self._check_body(res, ns, body)
        meta = obj["metadata"]
        if not meta.get("name") and not meta.get("generateName"):
            self._reject_unnamed(res, obj)
        for field in ("resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                      "generation", "managedFields", "selfLink"):
            meta.pop(field, None)
        self._validate(res, obj)
        with self.store.lock:
            self._namespace_ready(res, ns)
            if meta.get("name") and self.store.get(res, ns, meta["name"]) is not None:
                raise already_exists(res, meta["name"])
            if res.has_status:
                obj.pop("status", None)
            self._default(res, obj)
            if dry_run:
                out = copy.deepcopy(obj)
                out["metadata"].setdefault("name", meta.get("generateName", "") + "dryrun")
                return out
            return self.store.insert(res, obj)

    def _reject_unnamed(self, res: Resource, obj: dict):
        """Records and raises the 422 for an object with neither name nor generateName."""
        message = "name or generateName is required"
        with self._vlock:
            self.validations.append({"kind": res.kind, "name": "", "namespace": obj["metadata"].get("namespace", ""),
                                     "valid": False, "message": f"metadata.name: {message}"})
        raise invalid(res, "", [{"reason": "FieldValueRequired", "message": message, "field": "metadata.name"}])

    def _default(self, res: Resource, obj: dict) -> None:
        """The API server's defaulting and mutating admission for new objects."""
        kind, spec = res.kind, obj.setdefault("spec", {}) if res.kind in (
            "Pod", "StatefulSet", "PersistentVolumeClaim", "Service", "Namespace", "PersistentVolume", "Job") else None
        meta = obj["metadata"]
        if kind == "Namespace":
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
            spec.setdefault("finalizers", ["kubernetes"])
            obj["status"] = {"phase": "Active"}
        elif kind == "Pod":
            spec.setdefault("restartPolicy", "Always")
            spec.setdefault("terminationGracePeriodSeconds", 30)
            spec.setdefault("schedulerName", "default-scheduler")
            spec.setdefault("dnsPolicy", "ClusterFirst")
            for c in spec.get("containers", []) + spec.get("initContainers", []):
                c.setdefault("imagePullPolicy", "Always" if c.get("image", "").endswith(":latest") or ":" not in c.get("image", "") else "IfNotPresent")
                c.setdefault("terminationMessagePath", "/dev/termination-log")
                c.setdefault("terminationMessagePolicy", "File")
            obj["status"] = {"phase": "Pending", "qosClass": _qos(spec)}
        elif kind == "Job":
            spec.setdefault("backoffLimit", 6)
            spec.setdefault("completions", 1)
            spec.setdefault("parallelism", 1)
            spec.setdefault("completionMode", "NonIndexed")
            spec.setdefault("suspend", False)
            obj["status"] = {}
        elif kind == "StatefulSet":
            spec.setdefault("replicas", 1)
            spec.setdefault("podManagementPolicy", "OrderedReady")
            spec.setdefault("updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
            spec.setdefault("revisionHistoryLimit", 10)
            spec.setdefault("persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Retain", "whenScaled": "Retain"})
            obj["status"] = {"replicas": 0, "availableReplicas": 0}
        elif kind == "PersistentVolumeClaim":
            if "storageClassName" not in spec and not spec.get("volumeName"):
                for sc in self.store.list(STORAGE_CLASSES):
                    if sc["metadata"].get("annotations", {}).get(DEFAULT_CLASS_ANNOTATION) == "true":
                        spec["storageClassName"] = sc["metadata"]["name"]
                        break
            spec.setdefault("volumeMode", "Filesystem")
            fin = meta.setdefault("finalizers", [])
            if "kubernetes.io/pvc-protection" not in fin:
                fin.append("kubernetes.io/pvc-protection")
            obj["status"] = {"phase": "Pending"}
        elif kind == "PersistentVolume":
            spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
            spec.setdefault("volumeMode", "Filesystem")
            obj["status"] = {"phase": "Available"}
        elif kind == "Service":
            spec.setdefault("type", "ClusterIP")
            if spec.get("clusterIP") != "None":
                with self._vlock:
                    self._next_cluster_ip += 1
                    ip = str(ipaddress.ip_address(self._next_cluster_ip))
                spec.setdefault("clusterIP", ip)
                spec.setdefault("clusterIPs", [spec["clusterIP"]])
            spec.setdefault("sessionAffinity", "None")
            for p in spec.get("ports", []):
                p.setdefault("protocol", "TCP")
                p.setdefault("targetPort", p.get("port"))
            obj["status"] = {"loadBalancer": {}}
        elif kind == "Secret":
            obj.setdefault("type", "Opaque")
            string_data = obj.pop("stringData", None) or {}
            for k, v in string_data.items():
                obj.setdefault("data", {})[k] = base64.b64encode(str(v).encode()).decode()
        elif kind == "Event":
            obj.setdefault("count", 1)

    def update(self, res: Resource, ns: str, name: str, body, subresource: str | None = None,
               dry_run: bool = False) -> dict:
        """PUT (also the last step of PATCH): 409 Conflict on a stale resourceVersion; the
        main resource keeps the stored status, `/status` changes only the status."""
        obj = self._check_body(res, ns, body, name)
        with self.store.lock:
            current = self.get(res, ns, name)
            rv = obj["metadata"].get("resourceVersion")
            if rv and rv != current["metadata"]["resourceVersion"]:
                raise conflict(res, name, "the object has been modified; please apply your changes to the latest "
                                          "version and try again")
            uid = obj["metadata"].get("uid")
            if uid and uid != current["metadata"]["uid"]:
                raise conflict(res, name, f"Precondition failed: UID in precondition: {uid}, UID in object meta: "
                                          f"{current['metadata']['uid']}")
            if subresource == "status":
                new = copy.deepcopy(current)
                if "status" in obj:
                    new["status"] = obj["status"]
                else:
                    new.pop("status", None)
            else:
                new = obj
                if res.has_status:
                    if "status" in current:
                        new["status"] = current["status"]
                    else:
                        new.pop("status", None)
                if res.kind == "Secret" and "stringData" in new:
                    for k, v in (new.pop("stringData") or {}).items():
                        new.setdefault("data", {})[k] = base64.b64encode(str(v).encode()).decode()
            for field in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                          "managedFields"):
                if field in current["metadata"]:
                    new["metadata"][field] = current["metadata"][field]
                else:
                    new["metadata"].pop(field, None)
            new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            self._validate(res, new)
            if subresource is None:
                causes = immutability_causes(res.kind, current, new)
                if causes:
                    raise invalid(res, name, causes)
                if res.kind == "PersistentVolumeClaim":
                    self._check_expansion(res, name, current, new)
            if dry_run:
                return new
            return self.store.replace(res, new)

    def _check_expansion(self, res: Resource, name: str, current: dict, new: dict) -> None:
        """The API server's checks of a claim's size change: never smaller; larger only for
        a bound claim whose StorageClass allows volume expansion."""
        def request(claim):
            return ((claim["spec"].get("resources") or {}).get("requests") or {}).get("storage", "0")
        old, wanted = parse_quantity(request(current)), parse_quantity(request(new))
        if wanted < old:
            raise invalid(res, name, [{"reason": "FieldValueForbidden", "field": "spec.resources.requests.storage",
                                       "message": "Forbidden: field can not be less than previous value"}])
        if wanted == old:
            return
        sc = self.store.get(STORAGE_CLASSES, "", current["spec"].get("storageClassName") or "")
        if current.get("status", {}).get("phase") != "Bound" or sc is None or not sc.get("allowVolumeExpansion"):
            raise ApiError(403, f'persistentvolumeclaims "{name}" is forbidden: only dynamically provisioned pvc can be '
                                "resized and the storageclass that provisions the pvc must support resize", "Forbidden")

    def patch(self, res: Resource, ns: str, name: str, content_type: str, raw: bytes,
              subresource: str | None = None, dry_run: bool = False) -> dict:
        """PATCH with merge, strategic merge (as merge) or JSON patch."""
        try:
            doc = json.loads(raw or b"null")
        except ValueError as e:
            raise ApiError(400, f"the patch is not valid JSON: {e}", "BadRequest") from None
        ctype = (content_type or "").split(";")[0].strip()
        with self.store.lock:
            current = self.get(res, ns, name)
            if ctype in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
                if not isinstance(doc, dict):
                    raise ApiError(400, "a merge patch must be a JSON object", "BadRequest")
                new = patching.merge_patch(current, doc)
                rv = (doc.get("metadata") or {}).get("resourceVersion") if isinstance(doc.get("metadata"), dict) else None
                new["metadata"]["resourceVersion"] = rv or current["metadata"]["resourceVersion"]
            elif ctype == "application/json-patch+json":
                new = patching.json_patch(current, doc)
                if not isinstance(new, dict) or not isinstance(new.get("metadata"), dict):
                    raise ApiError(422, "the patched object is not a valid object", "Invalid")
            elif ctype == "application/apply-patch+yaml":
                raise ApiError(415, "server-side apply is not supported by the emulator", "UnsupportedMediaType")
            else:
                raise ApiError(415, f'the body of the request was in an unknown format - accepted media types '
                                    f'include: application/json-patch+json, application/merge-patch+json, '
                                    f'application/strategic-merge-patch+json', "UnsupportedMediaType")
            return self.update(res, ns, name, new, subresource, dry_run)

    def delete(self, res: Resource, ns: str, name: str, options: dict, dry_run: bool = False) -> tuple[int, dict]:
        """DELETE honouring preconditions, gracePeriodSeconds, propagationPolicy and finalizers."""
        with self.store.lock:
            current = self.get(res, ns, name)
            pre = options.get("preconditions") or {}
            if pre.get("uid") and pre["uid"] != current["metadata"]["uid"]:
                raise conflict(res, name, f"Precondition failed: UID in precondition: {pre['uid']}, UID in object "
                                          f"meta: {current['metadata']['uid']}")
            if pre.get("resourceVersion") and pre["resourceVersion"] != current["metadata"]["resourceVersion"]:
                raise conflict(res, name, f"Precondition failed: ResourceVersion in precondition: "
                                          f"{pre['resourceVersion']}, ResourceVersion in object meta: "
                                          f"{current['metadata']['resourceVersion']}")
            if dry_run or "All" in (options.get("dryRun") or []):
                return 200, current
            policy = options.get("propagationPolicy")
            if policy is None and options.get("orphanDependents") is True:
                policy = "Orphan"
            if policy not in (None, "Background", "Foreground", "Orphan"):
                raise ApiError(422, f"Unsupported value: {policy!r}: supported values: Background, Foreground, Orphan",
                               "Invalid", causes=[{"reason": "FieldValueNotSupported", "field": "propagationPolicy",
                                                   "message": f"Unsupported value: {policy!r}"}])
            grace = options.get("gracePeriodSeconds")
            finalizer = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}.get(policy or "")
            if res.kind == "Pod":
                if grace is None:
                    grace = current["spec"].get("terminationGracePeriodSeconds", 30)
                if grace == 0 or not current["spec"].get("nodeName") or current["status"].get("phase") in (
                        "Succeeded", "Failed"):
                    if not current["metadata"].get("finalizers") and not finalizer:
                        return 200, self.store.remove(res, ns, name)
                return 200, self.store.mark_deleted(res, ns, name, grace=grace, add_finalizer=finalizer)
            if res.kind == "Namespace":
                if name in ("default", "kube-system"):
                    raise ApiError(403, f'namespaces "{name}" is forbidden: this namespace may not be deleted',
                                   "Forbidden")
                obj = self.store.mark_deleted(res, ns, name, add_finalizer=finalizer)
                def terminating(o):
                    o.setdefault("status", {})["phase"] = "Terminating"
                return 200, self.store.mutate(res, ns, name, terminating)
            if current["metadata"].get("finalizers") or finalizer:
                obj = self.store.mark_deleted(res, ns, name, grace=0, add_finalizer=finalizer)
                return (202 if policy == "Foreground" else 200), obj
            return 200, self.store.remove(res, ns, name)

    def scale(self, sts: dict) -> dict:
        """The autoscaling/v1 Scale of a StatefulSet."""
        sel = sts["spec"].get("selector", {}).get("matchLabels", {})
        return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": {k: sts["metadata"][k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                              "creationTimestamp") if k in sts["metadata"]},
                "spec": {"replicas": sts["spec"].get("replicas", 1)},
                "status": {"replicas": sts.get("status", {}).get("replicas", 0),
                           "selector": ",".join(f"{k}={v}" for k, v in sorted(sel.items()))}}


def _qos(spec: dict) -> str:
    """The pod's QoS class from its containers' requests and limits."""
    containers = spec.get("containers", [])
    if not any((c.get("resources") or {}).get("requests") or (c.get("resources") or {}).get("limits") for c in containers):
        return "BestEffort"
    for c in containers:
        r = c.get("resources") or {}
        lim, req = r.get("limits") or {}, r.get("requests") or {}
        for key in ("cpu", "memory"):
            if key not in lim or (key in req and req[key] != lim[key]):
                return "Burstable"
    return "Guaranteed"


_MUTABLE_SPEC = {
    "StatefulSet": ("replicas", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                    "minReadySeconds", "ordinals", "revisionHistoryLimit"),
    "PersistentVolumeClaim": ("resources", "volumeAttributesClassName"),
}
_FORBIDDEN = {
    "StatefulSet": "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                   "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                   "'minReadySeconds' are forbidden",
    "PersistentVolumeClaim": "spec is immutable after creation except resources.requests and "
                             "volumeAttributesClassName for bound claims",
    "Pod": "pod updates may not change fields other than `spec.containers[*].image`, "
           "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to "
           "existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
           "previously negative)",
    "VolumeSnapshot": "spec.source is immutable",
}


def immutability_causes(kind: str, old: dict, new: dict) -> list[dict]:
    """The API server's update validation of immutable spec fields (StatefulSet, PVC, Pod,
    VolumeSnapshot source): a FieldValueForbidden cause when one changed."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if kind in _MUTABLE_SPEC:
        keep = _MUTABLE_SPEC[kind]
        # fields the API server fills in or that may be added once (volumeName by binding)
        ignore = ("volumeName", "storageClassName", "volumeMode") if kind == "PersistentVolumeClaim" else ()
        a = {k: v for k, v in old_spec.items() if k not in keep and k not in ignore}
        b = {k: v for k, v in new_spec.items() if k not in keep and k not in ignore}
        changed = a != b
    elif kind == "Pod":
        def strip(spec):
            spec = copy.deepcopy(spec)
            for key in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "nodeName"):
                spec.pop(key, None)
            for group in ("containers", "initContainers"):
                for c in spec.get(group) or []:
                    c.pop("image", None)
            return spec
        changed = strip(old_spec) != strip(new_spec)
    elif kind == "VolumeSnapshot":
        changed = old_spec.get("source") != new_spec.get("source")
    else:
        return []
    if not changed:
        return []
    return [{"reason": "FieldValueForbidden", "message": f"Forbidden: {_FORBIDDEN[kind]}",
             "field": "spec.source" if kind == "VolumeSnapshot" else "spec"}]
