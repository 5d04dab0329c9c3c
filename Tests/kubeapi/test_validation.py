"""The validator as a CLI (scripts/lib/kube_api/validation.py): strict schemas of the
bundled Kubernetes version, and the vendored VolumeSnapshot CRD schemas."""
import os
import subprocess
import sys

from conftest import ROOT

CLI = os.path.join(ROOT, "scripts", "lib", "kube_api", "validation.py")

VALID = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: workspace, namespace: sessions}
spec:
  replicas: 1
  serviceName: workspace
  selector: {matchLabels: {app: workspace}}
  template:
    metadata: {labels: {app: workspace}}
    spec:
      containers:
      - name: main
        image: python:3.12
        command: [python3, -m, http.server, "8888"]
        resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {nvidia.com/gpu: 1}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: {name: checkpoint, namespace: sessions}
spec:
  volumeSnapshotClassName: standard-snapshots
  source: {persistentVolumeClaimName: data-workspace-0}
"""

INVALID = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: main
        image: nginx
        ports: [{containerPort: 80, protcol: TCP}]
"""


def run(tmp_path, name, text):
    """Runs the CLI on `text` written to a file."""
    path = tmp_path / name
    path.write_text(text)
    return subprocess.run([sys.executable, CLI, str(path)], capture_output=True, text=True, timeout=60)


def test_valid_statefulset_and_volume_snapshot_pass(tmp_path):
    result = run(tmp_path, "valid.yaml", VALID)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("OK ") == 2


def test_unknown_field_fails_naming_it(tmp_path):
    result = run(tmp_path, "invalid.yaml", INVALID)
    assert result.returncode == 1
    assert "spec.template.spec.containers[0].ports[0].protcol" in result.stdout


def test_volume_snapshot_schema_is_strict(tmp_path):
    bad = ("apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata: {name: s}\n"
           "spec: {source: {persistentVolumeClaimName: a, volumeSnapshotContentName: b}, retain: true}\n")
    result = run(tmp_path, "snap.yaml", bad)
    assert result.returncode == 1
    assert "spec.retain" in result.stdout and "spec.source" in result.stdout
