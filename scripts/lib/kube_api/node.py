"""The emulator's single node: name, labels, taints and allocatable resources."""
from __future__ import annotations

import os

from .scheduler import parse_quantity


class Node:
    """The node's name, labels, taints and allocatable resources (from the environment)."""

    def __init__(self, name: str, labels: dict, taints: list[dict], capacity: dict[str, str]):
        self.name, self.labels, self.taints, self.capacity = name, labels, taints, capacity
        self.allocatable = {k: parse_quantity(v) for k, v in capacity.items()}

    @classmethod
    def from_env(cls) -> "Node":
        """KUBE_API_NODE_LABELS (`k=v,k=v`), KUBE_API_NODE_TAINTS (`k=v:Effect,...`),
        KUBE_API_NODE_GPUS (nvidia.com/gpu, default 0); cpu 8, memory 16Gi."""
        labels = {}
        for part in (os.environ.get("KUBE_API_NODE_LABELS") or "kubernetes.io/hostname=emulator-node").split(","):
            if "=" in part:
                k, v = part.split("=", 1)
                labels[k.strip()] = v.strip()
        taints = []
        for part in (os.environ.get("KUBE_API_NODE_TAINTS") or "").split(","):
            part = part.strip()
            if not part:
                continue
            kv, _, effect = part.partition(":")
            k, _, v = kv.partition("=")
            taints.append({"key": k, **({"value": v} if v else {}), "effect": effect or "NoSchedule"})
        capacity = {"cpu": "8", "memory": "16Gi", "pods": "110",
                    "nvidia.com/gpu": str(int(os.environ.get("KUBE_API_NODE_GPUS") or "0"))}
        labels.setdefault("kubernetes.io/os", "linux")
        labels.setdefault("kubernetes.io/arch", "amd64")
        name = labels.get("kubernetes.io/hostname", "emulator-node")
        return cls(name, labels, taints, capacity)

    def object(self) -> dict:
        """The Node object."""
        return {"metadata": {"name": self.name, "labels": dict(self.labels)},
                "spec": {**({"taints": self.taints} if self.taints else {})},
                "status": {"capacity": dict(self.capacity), "allocatable": dict(self.capacity),
                           "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                           "message": "kubelet is posting ready status"}],
                           "addresses": [{"type": "InternalIP", "address": "127.0.0.1"},
                                         {"type": "Hostname", "address": self.name}],
                           "nodeInfo": {"kubeletVersion": "v1.33.0-emulator", "operatingSystem": "linux",
                                        "architecture": "amd64", "containerRuntimeVersion": "emulator://1"}}}
