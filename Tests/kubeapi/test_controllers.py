"""Controllers: garbage collection, StatefulSets, volume provisioning and snapshots, the
scheduler and image pulls."""
import os

PVC_BODY = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}


def pvc(name, **spec):
    """A PVC body (default storage class unless spec says otherwise)."""
    body = {**PVC_BODY, "metadata": {"name": name}, "spec": {**PVC_BODY["spec"], **spec}}
    return body


def sleeper(name, **extra_spec):
    """A pod body whose container sleeps."""
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"terminationGracePeriodSeconds": 1,
                     "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"]}],
                     **extra_spec}}


def test_owner_references_cascade(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"

    def owned_by(owner, name):
        ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": owner["metadata"]["name"],
               "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
        return kube.ok("POST", base, {"metadata": {"name": name, "ownerReferences": [ref]}})
    for policy in ("Background", "Foreground"):
        owner = kube.ok("POST", base, {"metadata": {"name": f"owner-{policy.lower()}"}})
        owned_by(owner, f"dep-{policy.lower()}")
        kube.ok("DELETE", f"{base}/owner-{policy.lower()}?propagationPolicy={policy}")
        kube.wait(f"{policy} deletion of the dependent", lambda: kube.get(f"{base}/dep-{policy.lower()}") is None)
        kube.wait("the owner to go", lambda: kube.get(f"{base}/owner-{policy.lower()}") is None)
    owner = kube.ok("POST", base, {"metadata": {"name": "owner-orphan"}})
    owned_by(owner, "dep-orphan")
    kube.ok("DELETE", f"{base}/owner-orphan", {"propagationPolicy": "Orphan"})
    kube.wait("the orphaning owner to go", lambda: kube.get(f"{base}/owner-orphan") is None)
    orphan = kube.get(f"{base}/dep-orphan")
    assert orphan is not None and not orphan["metadata"].get("ownerReferences")
    # a dependent whose owner does not exist is collected
    ghost = {"metadata": {"name": "ghost-owned", "ownerReferences": [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "gone", "uid": "00000000-0000-0000-0000-000000000000"}]}}
    kube.ok("POST", base, ghost)
    kube.wait("collection of the ghost-owned object", lambda: kube.get(f"{base}/ghost-owned") is None)


def test_statefulset_scale_creates_and_deletes_the_pod(kube, ns):
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
           "spec": {"replicas": 1, "serviceName": "web", "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"terminationGracePeriodSeconds": 1, "containers": [
                                     {"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                                      "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}},
                    "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": PVC_BODY["spec"]}]}}
    base = f"/apis/apps/v1/namespaces/{ns}/statefulsets"
    created = kube.ok("POST", base, sts)
    pods = f"/api/v1/namespaces/{ns}/pods"
    pod = kube.wait("pod web-0 to be Ready", lambda: _ready(kube.get(f"{pods}/web-0")))
    assert pod["metadata"]["labels"]["app"] == "web"
    ref = pod["metadata"]["ownerReferences"][0]
    assert ref["kind"] == "StatefulSet" and ref["uid"] == created["metadata"]["uid"] and ref["controller"] is True
    claim = kube.ok("GET", f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data-web-0")
    assert claim["status"]["phase"] == "Bound" and not claim["metadata"].get("ownerReferences")
    kube.wait("readyReplicas 1", lambda: kube.ok("GET", f"{base}/web").get("status", {}).get("readyReplicas") == 1)

    immutable = kube.ok("GET", f"{base}/web")
    immutable["spec"]["serviceName"] = "other"
    status, _, body = kube.request("PUT", f"{base}/web", immutable)
    assert status == 422 and body["details"]["causes"][0]["field"] == "spec"
    scale = kube.ok("GET", f"{base}/web/scale")
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 1
    kube.ok("PATCH", f"{base}/web/scale", {"spec": {"replicas": 0}}, content_type="application/merge-patch+json")
    kube.wait("pod web-0 to be deleted", lambda: kube.get(f"{pods}/web-0") is None, timeout=10)
    status = kube.wait("status replicas 0", lambda: (s := kube.ok("GET", f"{base}/web")["status"])["replicas"] == 0 and s)
    assert status["observedGeneration"] == 2
    assert kube.get(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data-web-0") is not None

    current = kube.ok("GET", f"{base}/web")
    current["spec"]["replicas"] = 1
    kube.ok("PUT", f"{base}/web", current)
    before = kube.wait("pod web-0 back and Ready", lambda: _ready(kube.get(f"{pods}/web-0")))
    kube.ok("PATCH", f"{base}/web", {"spec": {"template": {"metadata": {"annotations": {"rev": "2"}}}}},
            content_type="application/merge-patch+json")
    after = kube.wait("web-0 recreated from the new template", lambda: (p := _ready(kube.get(f"{pods}/web-0")))
                      and p["metadata"]["uid"] != before["metadata"]["uid"] and p, timeout=15)
    assert after["metadata"]["annotations"]["rev"] == "2"
    scaled = [e["reason"] for e in kube.events(ns, "web")]
    assert "SuccessfulCreate" in scaled and "SuccessfulDelete" in scaled
    kube.ok("DELETE", f"{base}/web", {"propagationPolicy": "Foreground"})
    kube.wait("the StatefulSet and its pod to go", lambda: kube.get(f"{base}/web") is None
              and kube.get(f"{pods}/web-0") is None, timeout=10)
    assert kube.get(f"/api/v1/namespaces/{ns}/persistentvolumeclaims/data-web-0") is not None


def _ready(pod):
    if pod and any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", [])):
        return pod
    return None


def test_claims_bind_and_snapshots_restore_their_data(kube, ns):
    claims = f"/api/v1/namespaces/{ns}/persistentvolumeclaims"
    kube.ok("POST", claims, pvc("source"))
    bound = kube.wait("the claim to bind", lambda: (c := kube.get(f"{claims}/source"))["status"]["phase"] == "Bound" and c)
    assert bound["spec"]["storageClassName"] == "standard"
    pv = kube.ok("GET", f"/api/v1/persistentvolumes/{bound['spec']['volumeName']}")
    assert pv["spec"]["claimRef"]["uid"] == bound["metadata"]["uid"]
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete" and pv["status"]["phase"] == "Bound"
    directory = os.path.join(kube.state, "volumes", pv["metadata"]["name"])
    with open(os.path.join(directory, "checkpoint.txt"), "w") as f:
        f.write("step 42")

    snaps = f"/apis/snapshot.storage.k8s.io/v1/namespaces/{ns}/volumesnapshots"
    kube.ok("POST", snaps, {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
                            "metadata": {"name": "snap"},
                            "spec": {"source": {"persistentVolumeClaimName": "source"}}})
    snap = kube.wait("the snapshot to be ready", lambda: (s := kube.get(f"{snaps}/snap")).get("status", {}).get("readyToUse") and s)
    content_name = snap["status"]["boundVolumeSnapshotContentName"]
    content = kube.ok("GET", f"/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/{content_name}")
    assert content["spec"]["volumeSnapshotRef"]["name"] == "snap" and content["status"]["readyToUse"] is True
    assert snap["status"]["creationTime"] and snap["status"]["restoreSize"]

    with open(os.path.join(directory, "checkpoint.txt"), "w") as f:
        f.write("changed after the snapshot")
    kube.ok("POST", claims, pvc("restored", dataSource={"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot",
                                                         "name": "snap"}))
    restored = kube.wait("the restored claim to bind", lambda: (c := kube.get(f"{claims}/restored"))["status"]["phase"] == "Bound" and c)
    with open(os.path.join(kube.state, "volumes", restored["spec"]["volumeName"], "checkpoint.txt")) as f:
        assert f.read() == "step 42"

    kube.ok("POST", claims, pvc("from-missing", dataSource={"apiGroup": "snapshot.storage.k8s.io",
                                                             "kind": "VolumeSnapshot", "name": "nope"}))
    kube.wait("ProvisioningFailed for a missing snapshot",
              lambda: any(e["reason"] == "ProvisioningFailed" for e in kube.events(ns, "from-missing")))
    assert kube.get(f"{claims}/from-missing")["status"]["phase"] == "Pending"
    kube.ok("POST", claims, pvc("unknown-class", storageClassName="no-such-class"))
    kube.wait("ProvisioningFailed for an unknown class",
              lambda: any(e["reason"] == "ProvisioningFailed" for e in kube.events(ns, "unknown-class")))

    kube.ok("DELETE", f"{snaps}/snap")
    kube.wait("the content to go", lambda: kube.get(
        f"/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/{content_name}") is None)
    kube.wait("the snapshot data to go", lambda: not os.path.exists(os.path.join(kube.state, "snapshots", content_name)))
    kube.ok("DELETE", f"{claims}/source")
    kube.wait("the claim's volume to be reclaimed", lambda: kube.get(f"/api/v1/persistentvolumes/{pv['metadata']['name']}") is None)
    assert not os.path.exists(directory)


def test_snapshot_of_a_missing_claim_reports_an_error(kube, ns):
    snaps = f"/apis/snapshot.storage.k8s.io/v1/namespaces/{ns}/volumesnapshots"
    kube.ok("POST", snaps, {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
                            "metadata": {"name": "orphan"}, "spec": {"source": {"persistentVolumeClaimName": "nope"}}})
    snap = kube.wait("the snapshot error", lambda: (s := kube.get(f"{snaps}/orphan")).get("status", {}).get("error") and s)
    assert "not found" in snap["status"]["error"]["message"] and snap["status"]["readyToUse"] is False


def test_claim_in_use_waits_for_its_pod(kube, ns):
    claims = f"/api/v1/namespaces/{ns}/persistentvolumeclaims"
    kube.ok("POST", claims, pvc("busy"))
    pod = sleeper("user", volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "busy"}}])
    pod["spec"]["containers"][0]["volumeMounts"] = [{"name": "d", "mountPath": "/d"}]
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", pod)
    kube.wait("the pod to run", lambda: _ready(kube.get(f"/api/v1/namespaces/{ns}/pods/user")))
    kube.ok("DELETE", f"{claims}/busy")
    held = kube.get(f"{claims}/busy")
    assert held["metadata"]["deletionTimestamp"] and "kubernetes.io/pvc-protection" in held["metadata"]["finalizers"]
    kube.ok("DELETE", f"/api/v1/namespaces/{ns}/pods/user")
    kube.wait("the claim to go after its pod", lambda: kube.get(f"{claims}/busy") is None, timeout=10)


def test_too_much_cpu_is_unschedulable_with_an_event(kube, ns):
    pod = sleeper("big")
    pod["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "64", "memory": "1Gi"}}
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", pod)
    event = kube.wait("FailedScheduling", lambda: next(
        (e for e in kube.events(ns, "big") if e["reason"] == "FailedScheduling"), None))
    assert event["type"] == "Warning" and event["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    got = kube.ok("GET", f"/api/v1/namespaces/{ns}/pods/big")
    assert got["status"]["phase"] == "Pending" and not got["spec"].get("nodeName")
    cond = next(c for c in got["status"]["conditions"] if c["type"] == "PodScheduled")
    assert cond["status"] == "False" and cond["reason"] == "Unschedulable"
    selector = sleeper("picky", nodeSelector={"gpu": "yes"})
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", selector)
    event = kube.wait("FailedScheduling for the selector", lambda: next(
        (e for e in kube.events(ns, "picky") if e["reason"] == "FailedScheduling"), None))
    assert "didn't match Pod's node affinity/selector" in event["message"]


def test_missing_images_fail_to_pull(kube, ns):
    kube.ok("POST", "/_emulator/faults", {"missingImage": "registry.example/private/app:7"})
    for name, image in (("ghost", "does-not-exist:1.0"), ("private", "registry.example/private/app:7")):
        pod = sleeper(name)
        pod["spec"]["containers"][0]["image"] = image
        kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", pod)
    for name in ("ghost", "private"):
        def waiting(name=name):
            pod = kube.get(f"/api/v1/namespaces/{ns}/pods/{name}")
            statuses = pod["status"].get("containerStatuses") or []
            reason = statuses and statuses[0]["state"].get("waiting", {}).get("reason")
            return reason in ("ErrImagePull", "ImagePullBackOff") and statuses[0]
        status = kube.wait(f"{name} to fail pulling", waiting)
        assert status["state"]["waiting"]["message"] and not status["ready"]
        reasons = {(e["reason"], e["type"]) for e in kube.events(ns, name)}
        assert ("Pulling", "Normal") in reasons and ("Failed", "Warning") in reasons
        assert kube.get(f"/api/v1/namespaces/{ns}/pods/{name}")["status"]["phase"] == "Pending"


def test_deleting_a_namespace_deletes_its_objects(kube):
    kube.ok("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}})
    kube.ok("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": "held", "finalizers": ["test/hold"]}})
    kube.ok("POST", "/api/v1/namespaces/doomed/pods", sleeper("p"))
    kube.wait("the pod to run", lambda: _ready(kube.get("/api/v1/namespaces/doomed/pods/p")))
    terminating = kube.ok("DELETE", "/api/v1/namespaces/doomed")
    assert terminating["status"]["phase"] == "Terminating"
    status, _, body = kube.request("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": "late"}})
    assert status == 403 and body["reason"] == "Forbidden"
    kube.wait("the pod to go", lambda: kube.get("/api/v1/namespaces/doomed/pods/p") is None, timeout=10)
    held = kube.ok("GET", "/api/v1/namespaces/doomed/configmaps/held")
    assert held["metadata"]["deletionTimestamp"]
    assert kube.ok("GET", "/api/v1/namespaces/doomed")["status"]["phase"] == "Terminating"
    kube.ok("PATCH", "/api/v1/namespaces/doomed/configmaps/held", {"metadata": {"finalizers": None}},
            content_type="application/merge-patch+json")
    kube.wait("the namespace to go", lambda: kube.get("/api/v1/namespaces/doomed") is None, timeout=10)
    assert kube.ok("GET", "/api/v1/pods?fieldSelector=metadata.namespace%3Ddoomed")["items"] == []
