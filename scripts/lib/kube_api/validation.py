#!/usr/bin/env python3
"""Schema validation of Kubernetes objects, for the emulator and as a CLI.

Built-in kinds are validated with the strict JSON schemas bundled with
`kubernetes-validate` (unknown fields rejected) for KUBE_API_K8S_VERSION (default: the
newest version it bundles); VolumeSnapshot, VolumeSnapshotContent and
VolumeSnapshotClass with the vendored external-snapshotter CRD schemas in `schemas/`,
made strict the same way. Validators are built once per kind and cached, so validating
an object takes milliseconds.

CLI: `python3 scripts/lib/kube_api/validation.py FILE...` (YAML or JSON, multi-document)
prints one line per document and exits 0 only when every document is valid.
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading

import jsonschema
import referencing
import yaml

_HERE = os.path.dirname(os.path.abspath(__file__))
_CRDS = {
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshot"): "volumesnapshots.yaml",
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent"): "volumesnapshotcontents.yaml",
    ("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"): "volumesnapshotclasses.yaml",
}
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _strict(schema):
    """A copy of an OpenAPI schema where objects with `properties` allow no other fields."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items()}
    if ("properties" in schema and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def field_path(path) -> str:
    """`spec.containers[0].name` from a jsonschema path."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class SchemaValidator:
    """Validates objects against cached strict schemas for one Kubernetes version."""

    def __init__(self, version: str | None = None):
        import kubernetes_validate
        from kubernetes_validate import utils as kv_utils

        wanted = version or os.environ.get("KUBE_API_K8S_VERSION") or kubernetes_validate.latest_version()
        wanted = wanted.lstrip("v")
        mm = kv_utils.major_minor(wanted)
        candidates = [v for v in kv_utils.all_versions()
                      if tuple(map(int, kv_utils.major_minor(v).split("."))) <= tuple(map(int, mm.split(".")))]
        if not candidates:
            raise ValueError(f"kubernetes-validate bundles no schemas for Kubernetes {wanted}")
        self.version = candidates[-1]
        self._dir = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema",
                                 f"v{self.version}-local-strict")
        self._lock = threading.Lock()
        self._validators: dict[tuple[str, str], jsonschema.protocols.Validator | None] = {}
        self._registry = None

    def _definitions(self):
        if self._registry is None:
            with open(os.path.join(self._dir, "_definitions.json")) as f:
                defs = json.load(f)
            self._registry = referencing.Resource.from_contents(defs) @ referencing.Registry()
        return self._registry

    def _build(self, api_version: str, kind: str):
        registry = self._definitions()
        crd = _CRDS.get((api_version, kind))
        if crd:
            with open(os.path.join(_HERE, "schemas", crd)) as f:
                doc = yaml.safe_load(f)
            version = api_version.split("/")[-1]
            schema = next(v for v in doc["spec"]["versions"] if v["name"] == version)["schema"]["openAPIV3Schema"]
            schema = _strict(schema)
            schema["properties"]["metadata"] = {
                "$ref": "/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
            schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            schema["$id"] = f"https://kubernetes.io/api/{kind.lower()}/{api_version}"
            return jsonschema.Draft202012Validator(schema, registry=registry)
        group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
        path = os.path.join(self._dir, f"{kind.lower()}-{group_version}.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            schema = json.load(f)
        return jsonschema.Draft202012Validator(schema, registry=registry)

    def warm_up(self) -> None:
        """Loads the schemas of the kinds the emulator serves (call from a background thread)."""
        for api_version, kind in (("v1", "Pod"), ("apps/v1", "StatefulSet"), ("v1", "PersistentVolumeClaim"),
                                  ("v1", "Service"), ("v1", "Secret"), ("v1", "ConfigMap"), ("v1", "Namespace"),
                                  ("snapshot.storage.k8s.io/v1", "VolumeSnapshot")):
            self.validator(api_version, kind)

    def validator(self, api_version: str, kind: str):
        """The cached validator of a kind, or None when no schema is known."""
        key = (api_version, kind)
        with self._lock:
            if key not in self._validators:
                self._validators[key] = self._build(api_version, kind)
            return self._validators[key]

    def causes(self, obj) -> list[dict]:
        """Kubernetes-style causes ({reason, message, field}) of `obj`'s problems; empty when valid."""
        if not isinstance(obj, dict):
            return [{"reason": "FieldValueInvalid", "message": "an object must be a JSON object", "field": ""}]
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str) or not api_version or not kind:
            return [{"reason": "FieldValueRequired", "message": "apiVersion and kind are required",
                     "field": "kind" if api_version else "apiVersion"}]
        validator = self.validator(api_version, kind)
        if validator is None:
            return [{"reason": "FieldValueNotSupported", "field": "kind",
                     "message": f"no schema for kind {kind} of {api_version} (Kubernetes {self.version})"}]
        out = []
        for err in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
            out.extend(_error_causes(err))
        out.extend(semantic_causes(obj))
        return out


def _error_causes(err) -> list[dict]:
    base = list(err.absolute_path)
    if err.validator == "additionalProperties":
        names = re.findall(r"'([^']+)'", err.message.split("(", 1)[-1]) or ["?"]
        return [{"reason": "FieldValueInvalid", "field": field_path(base + [n]),
                 "message": f'unknown field "{field_path(base + [n])}"'} for n in names]
    if err.validator == "required":
        m = re.match(r"'([^']+)'", err.message)
        name = m.group(1) if m else "?"
        return [{"reason": "FieldValueRequired", "field": field_path(base + [name]), "message": "Required value"}]
    if err.validator == "enum":
        return [{"reason": "FieldValueNotSupported", "field": field_path(base),
                 "message": f"Unsupported value: {err.instance!r}: supported values: "
                            + ", ".join(json.dumps(v) for v in err.validator_value)}]
    if err.validator == "type":
        return [{"reason": "FieldValueTypeInvalid", "field": field_path(base), "message": err.message}]
    return [{"reason": "FieldValueInvalid", "field": field_path(base), "message": err.message}]


def semantic_causes(obj: dict) -> list[dict]:
    """Checks the schema cannot express: object names must be DNS-1123 subdomains."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = meta.get("name")
    out = []
    if isinstance(name, str) and name and (len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name)):
        out.append({"reason": "FieldValueInvalid", "field": "metadata.name",
                    "message": f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower case '
                               "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"})
    return out


def main(argv: list[str]) -> int:
    """CLI: validates every document of every file; exit 0 only when all are valid."""
    if not argv:
        print("usage: validation.py FILE...", file=sys.stderr)
        return 2
    validator = SchemaValidator()
    failures = 0
    for name in argv:
        try:
            with open(name) as f:
                docs = [d for d in yaml.safe_load_all(f) if d is not None]
        except (OSError, yaml.YAMLError) as e:
            print(f"ERROR {name}: cannot read: {e}")
            failures += 1
            continue
        if not docs:
            print(f"ERROR {name}: no documents")
            failures += 1
        for doc in docs:
            label = f"{doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')}" if isinstance(doc, dict) else "?"
            causes = validator.causes(doc)
            if causes:
                failures += 1
                for c in causes:
                    print(f"INVALID {name} {label}: {c['field']}: {c['message']}")
            else:
                print(f"OK {name} {label} (Kubernetes {validator.version})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
