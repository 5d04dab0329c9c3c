"""In-process checks of the emulator's building blocks where a running server adds
nothing: the scheduler's rules for taints, GPUs and selectors, label selectors, and
patches."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib"))

from kube_api import patch, resources, scheduler, selector  # noqa: E402
from kube_api.node import Node  # noqa: E402
from kube_api.status import ApiError  # noqa: E402
from kube_api.store import Store  # noqa: E402

PODS = resources.by_kind("Pod")


def pod(name, requests=None, **spec):
    """A pod object as stored."""
    return {"metadata": {"name": name, "namespace": "u", "uid": name},
            "spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": requests or {}}}], **spec},
            "status": {"phase": "Pending"}}


def test_scheduler_reasons_for_gpus_taints_and_selectors(monkeypatch):
    monkeypatch.setenv("KUBE_API_NODE_GPUS", "1")
    monkeypatch.setenv("KUBE_API_NODE_LABELS", "kubernetes.io/hostname=gpu-node,accelerator=a100")
    monkeypatch.setenv("KUBE_API_NODE_TAINTS", "nvidia.com/gpu=present:NoSchedule")
    node = Node.from_env()
    store = Store()
    assert node.name == "gpu-node" and node.allocatable["nvidia.com/gpu"] == 1
    assert scheduler.unschedulable_reasons(store, node, pod("plain")) == [
        "1 node(s) had untolerated taint {nvidia.com/gpu: present}"]
    tolerant = {"tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]}
    assert scheduler.unschedulable_reasons(store, node, pod("ok", {"nvidia.com/gpu": "1"}, **tolerant)) == []
    assert scheduler.unschedulable_reasons(store, node, pod("two", {"nvidia.com/gpu": "2"}, **tolerant)) == [
        "1 Insufficient nvidia.com/gpu"]
    assert scheduler.unschedulable_reasons(store, node, pod("sel", nodeSelector={"accelerator": "h100"},
                                                              **tolerant)) == [
        "1 node(s) didn't match Pod's node affinity/selector"]
    running = pod("running", {"cpu": "6", "memory": "8Gi"}, nodeName="gpu-node", **tolerant)
    store.insert(PODS, running)
    assert scheduler.unschedulable_reasons(store, node, pod("more", {"cpu": "3", "memory": "9Gi"}, **tolerant)) == [
        "1 Insufficient cpu", "1 Insufficient memory"]


def test_quantities():
    assert scheduler.parse_quantity("500m") == 0.5
    assert scheduler.parse_quantity("2Gi") == 2 * 2**30
    assert scheduler.parse_quantity("1e3") == 1000
    assert scheduler.parse_quantity(3) == 3


def test_label_selector_requirements():
    reqs = selector.parse_labels("app in (web, api), tier!=db, !canary, env")
    assert selector.labels_match(reqs, {"app": "web", "tier": "front", "env": "prod"})
    assert not selector.labels_match(reqs, {"app": "web", "tier": "db", "env": "prod"})
    assert not selector.labels_match(reqs, {"app": "web", "env": "prod", "canary": "1"})
    assert not selector.labels_match(reqs, {"app": "web"})
    with pytest.raises(ApiError) as err:
        selector.parse_fields("spec.unknown=1")
    assert err.value.code == 400


def test_patches():
    doc = {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    assert patch.merge_patch(doc, {"a": {"b": None, "e": 2}, "d": None}) == {"a": {"c": [1, 2], "e": 2}}
    assert patch.json_patch(doc, [{"op": "add", "path": "/a/c/-", "value": 3},
                                  {"op": "move", "from": "/d", "path": "/f"}]) == {"a": {"b": 1, "c": [1, 2, 3]}, "f": "x"}
    assert doc == {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    with pytest.raises(ApiError) as err:
        patch.json_patch(doc, [{"op": "remove", "path": "/nope"}])
    assert err.value.code == 422
