"""The emulator's API conventions the Kubernetes backend relies on: credentials,
discovery, CRUD with Status bodies and codes, selectors, patches, status subresources."""


def cm(name, labels=None, data=None):
    """A ConfigMap body."""
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **({"labels": labels} if labels else {})},
            "data": data or {"k": "v"}}


def assert_status(body, code, reason):
    """`body` is a failure Status with this code and reason."""
    assert body["kind"] == "Status" and body["apiVersion"] == "v1", body
    assert body["status"] == "Failure" and body["code"] == code and body["reason"] == reason, body
    assert body["message"]


def test_credentials_are_required(kube):
    status, _, body = kube.request("GET", "/api/v1/namespaces/default", token=None)
    assert status == 401
    assert_status(body, 401, "Unauthorized")
    status, _, body = kube.request("GET", "/api/v1/namespaces/default", token="not-the-token")
    assert status == 401
    status, _, body = kube.request("GET", "/api/v1/namespaces/default", token=None, cert=True)
    assert status == 200 and body["metadata"]["name"] == "default"
    status, _, body = kube.request("GET", "/_emulator/validations", token=None)
    assert status == 401


def test_kubeconfig_and_discovery(kube):
    config = kube.config
    assert config["kind"] == "Config" and config["current-context"] == "token"
    contexts = {c["name"]: c["context"] for c in config["contexts"]}
    assert contexts["token"] == {"cluster": "emulator", "user": "token-user", "namespace": "default"}
    assert contexts["cert"]["user"] == "cert-user"
    assert config["clusters"][0]["cluster"]["server"] == f"https://127.0.0.1:{kube.port}"
    assert kube.ok("GET", "/version")["gitVersion"].startswith("v1.")
    assert kube.ok("GET", "/api")["versions"] == ["v1"]
    groups = {g["name"] for g in kube.ok("GET", "/apis")["groups"]}
    assert {"apps", "snapshot.storage.k8s.io", "storage.k8s.io"} <= groups
    names = {r["name"] for r in kube.ok("GET", "/apis/apps/v1")["resources"]}
    assert {"statefulsets", "statefulsets/scale", "statefulsets/status"} <= names
    core = {r["name"]: r for r in kube.ok("GET", "/api/v1")["resources"]}
    assert core["pods"]["namespaced"] and not core["persistentvolumes"]["namespaced"]
    assert "pods/exec" in core and "pods/log" in core
    sc = kube.ok("GET", "/apis/storage.k8s.io/v1/storageclasses/standard")
    assert sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
    vsc = kube.ok("GET", "/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/standard-snapshots")
    assert vsc["deletionPolicy"] == "Delete"


def test_create_get_replace_delete_with_status_codes(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    created = kube.ok("POST", base, cm("one"))
    meta = created["metadata"]
    assert meta["uid"] and meta["creationTimestamp"] and int(meta["resourceVersion"]) > 0
    assert meta["namespace"] == ns and meta["generation"] == 1

    status, _, body = kube.request("POST", base, cm("one"))
    assert status == 409
    assert_status(body, 409, "AlreadyExists")
    assert body["details"]["name"] == "one"

    status, _, body = kube.request("GET", f"{base}/missing")
    assert status == 404
    assert_status(body, 404, "NotFound")

    fresh = dict(created, data={"k": "new"})
    replaced = kube.ok("PUT", f"{base}/one", fresh)
    assert int(replaced["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])
    assert replaced["metadata"]["generation"] == 2
    status, _, body = kube.request("PUT", f"{base}/one", dict(created, data={"k": "stale"}))
    assert status == 409
    assert_status(body, 409, "Conflict")
    assert kube.ok("GET", f"{base}/one")["data"] == {"k": "new"}

    status, _, body = kube.request("DELETE", f"{base}/one", {"preconditions": {"uid": "not-the-uid"}})
    assert status == 409 and body["reason"] == "Conflict"
    deleted = kube.ok("DELETE", f"{base}/one", {"preconditions": {"uid": meta["uid"]}})
    assert deleted["metadata"]["name"] == "one"
    assert kube.get(f"{base}/one") is None
    status, _, body = kube.request("DELETE", f"{base}/one")
    assert status == 404


def test_generate_name_and_dry_run(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    body = cm("")
    body["metadata"] = {"generateName": "gen-"}
    first, second = kube.ok("POST", base, body), kube.ok("POST", base, body)
    assert first["metadata"]["name"].startswith("gen-") and len(first["metadata"]["name"]) > 4
    assert first["metadata"]["name"] != second["metadata"]["name"]
    kube.ok("POST", f"{base}?dryRun=All", cm("dry"))
    assert kube.get(f"{base}/dry") is None


def test_invalid_objects_get_422_naming_the_field_and_are_recorded(kube, ns):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad"},
           "spec": {"containers": [{"name": "c", "image": "busybox", "bogusField": True}]}}
    status, _, body = kube.request("POST", f"/api/v1/namespaces/{ns}/pods", pod)
    assert status == 422
    assert_status(body, 422, "Invalid")
    fields = [c["field"] for c in body["details"]["causes"]]
    assert "spec.containers[0].bogusField" in fields
    status, _, body = kube.request("POST", f"/api/v1/namespaces/{ns}/configmaps", cm("Not_A_Name"))
    assert status == 422 and body["details"]["causes"][0]["field"] == "metadata.name"
    kube.ok("POST", f"/api/v1/namespaces/{ns}/configmaps", cm("good"))
    records = kube.ok("GET", f"/_emulator/validations?namespace={ns}")["validated"]
    by_name = {r["name"]: r for r in records}
    assert by_name["bad"]["valid"] is False and "bogusField" in by_name["bad"]["message"]
    assert by_name["good"] == {"kind": "ConfigMap", "name": "good", "namespace": ns, "valid": True, "message": ""}


def test_bad_requests_get_status_bodies(kube, ns):
    status, _, body = kube.request("POST", f"/api/v1/namespaces/{ns}/configmaps", raw=b"{not json")
    assert status == 400
    assert_status(body, 400, "BadRequest")
    status, _, body = kube.request("GET", f"/api/v1/namespaces/{ns}/widgets")
    assert status == 404
    assert_status(body, 404, "NotFound")
    status, _, body = kube.request("GET", "/apis/nothing.example/v1/things")
    assert status == 404 and body["kind"] == "Status"
    status, _, body = kube.request("GET", f"/api/v1/namespaces/{ns}/configmaps?labelSelector=a%20in%20(")
    assert status == 400 and body["kind"] == "Status"
    status, _, body = kube.request("POST", "/api/v1/namespaces/no-such-ns/configmaps", cm("x"))
    assert status == 404 and body["reason"] == "NotFound"
    for query in ("limit=abc", "watch=true&timeoutSeconds=soon", "fieldSelector=spec.bogus%3D1"):
        status, _, body = kube.request("GET", f"/api/v1/namespaces/{ns}/configmaps?{query}")
        assert status == 400 and body["reason"] == "BadRequest", (query, body)
    status, _, body = kube.request("PATCH", f"/api/v1/namespaces/{ns}", {}, content_type="text/plain")
    assert status == 415 and body["kind"] == "Status"
    # the server is still healthy
    assert kube.ok("GET", "/version")


def test_label_and_field_selectors_and_paging(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    kube.ok("POST", base, cm("a", {"app": "web", "tier": "front"}))
    kube.ok("POST", base, cm("b", {"app": "web", "tier": "back"}))
    kube.ok("POST", base, cm("c", {"app": "db"}))

    def names(query):
        return sorted(o["metadata"]["name"] for o in kube.ok("GET", f"{base}?{query}")["items"])
    assert names("labelSelector=app%3Dweb") == ["a", "b"]
    assert names("labelSelector=app%3D%3Dweb,tier!%3Dback") == ["a"]
    assert names("labelSelector=app%20in%20(db,web),tier") == ["a", "b"]
    assert names("labelSelector=app%20notin%20(web)") == ["c"]
    assert names("labelSelector=!tier") == ["c"]
    assert names("fieldSelector=metadata.name%3Db") == ["b"]
    assert names(f"fieldSelector=metadata.namespace%3D{ns},metadata.name!%3Db") == ["a", "c"]
    page = kube.ok("GET", f"{base}?limit=2")
    assert len(page["items"]) == 2 and page["metadata"]["continue"]
    rest = kube.ok("GET", f"{base}?limit=2&continue={page['metadata']['continue']}")
    assert [o["metadata"]["name"] for o in rest["items"]] == ["c"]
    assert page["kind"] == "ConfigMapList" and int(page["metadata"]["resourceVersion"]) > 0


def test_merge_strategic_and_json_patches(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    kube.ok("POST", base, cm("p", {"a": "1"}, {"x": "1", "y": "2"}))
    out = kube.ok("PATCH", f"{base}/p", {"data": {"x": None, "z": "3"}, "metadata": {"labels": {"b": "2"}}},
                  content_type="application/merge-patch+json")
    assert out["data"] == {"y": "2", "z": "3"} and out["metadata"]["labels"] == {"a": "1", "b": "2"}
    out = kube.ok("PATCH", f"{base}/p", {"data": {"w": "4"}}, content_type="application/strategic-merge-patch+json")
    assert out["data"]["w"] == "4"
    out = kube.ok("PATCH", f"{base}/p", [{"op": "replace", "path": "/data/y", "value": "20"},
                                         {"op": "remove", "path": "/data/z"}],
                  content_type="application/json-patch+json")
    assert out["data"] == {"y": "20", "w": "4"}
    status, _, body = kube.request("PATCH", f"{base}/p", [{"op": "test", "path": "/data/y", "value": "nope"}],
                                   content_type="application/json-patch+json")
    assert status == 422 and body["kind"] == "Status"
    status, _, body = kube.request("PATCH", f"{base}/p", {"metadata": {"resourceVersion": "1"}, "data": {"q": "1"}},
                                   content_type="application/merge-patch+json")
    assert status == 409 and body["reason"] == "Conflict"
    status, _, body = kube.request("PATCH", f"{base}/p", {"data": {"n": 1}}, content_type="application/merge-patch+json")
    assert status == 422, body


def test_status_changes_only_through_the_status_subresource(kube, ns):
    base = f"/apis/snapshot.storage.k8s.io/v1/namespaces/{ns}/volumesnapshots"
    snap = {"apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot", "metadata": {"name": "s"},
            "spec": {"source": {"persistentVolumeClaimName": "nothing-here"}},
            "status": {"readyToUse": True}}
    created = kube.ok("POST", base, snap)
    assert created.get("status", {}).get("readyToUse") is not True
    kube.wait("the snapshot's error", lambda: kube.ok("GET", f"{base}/s").get("status", {}).get("error"))
    patched = kube.ok("PATCH", f"{base}/s", {"status": {"readyToUse": True}},
                      content_type="application/merge-patch+json")
    assert patched["status"]["readyToUse"] is False
    patched = kube.ok("PATCH", f"{base}/s/status", {"status": {"restoreSize": "1Gi"}},
                      content_type="application/merge-patch+json")
    assert patched["status"]["restoreSize"] == "1Gi"
    assert patched["metadata"]["generation"] == 1


def test_request_log_has_one_line_per_request_and_no_credentials(kube, ns):
    kube.ok("GET", f"/api/v1/namespaces/{ns}/configmaps?marker=log-check")
    kube.request("GET", "/version", token="wrong-token-value")
    with open(f"{kube.state}/server.log") as f:
        log = f.read()
    assert kube.token not in log and "wrong-token-value" not in log and "Bearer" not in log
    assert any(f"GET /api/v1/namespaces/{ns}/configmaps?marker=log-check 200" in line for line in log.splitlines())
