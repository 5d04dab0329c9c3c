"""Where a PersistentVolume's data lives on the host, and directory copies for snapshots."""
from __future__ import annotations

import os
import shutil

EMULATOR_DRIVER = "emulator.local/hostpath"
S3_DRIVER = "s3.csi.aws.com"


def pv_path(state: str, pv: dict) -> tuple[str, bool]:
    """(host directory, read-only) of a PV: `hostPath.path`; Mountpoint for S3 PVs map to
    $STATE/s3/<bucketName>/<prefix mount option>; every other PV to $STATE/volumes/<name>.
    The directory is created when missing."""
    spec = pv.get("spec", {})
    options = [str(o) for o in spec.get("mountOptions") or []]
    read_only = any(o.strip() in ("read-only", "ro", "--read-only") for o in options)
    csi = spec.get("csi") or {}
    if spec.get("hostPath"):
        path = spec["hostPath"]["path"]
    elif csi.get("driver") == S3_DRIVER:
        bucket = (csi.get("volumeAttributes") or {}).get("bucketName") or csi.get("volumeHandle") or "bucket"
        prefix = ""
        for o in options:
            o = o.strip().lstrip("-")
            if o.startswith("prefix"):
                prefix = o[len("prefix"):].lstrip("= ").strip()
        path = os.path.join(state, "s3", bucket, prefix.strip("/"))
        read_only = read_only or bool(csi.get("readOnly"))
    else:
        path = os.path.join(state, "volumes", pv["metadata"]["name"])
    os.makedirs(path, exist_ok=True)
    return path, read_only


def copy_tree(source: str, destination: str) -> int:
    """Copies a directory's contents (replacing `destination`); returns the bytes copied."""
    if os.path.exists(destination):
        shutil.rmtree(destination)
    shutil.copytree(source, destination, symlinks=True)
    total = 0
    for root, _, files in os.walk(destination):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def remove_tree(path: str) -> None:
    """Removes a directory tree if it exists."""
    shutil.rmtree(path, ignore_errors=True)
