"""The faults API: injected statuses (409, 429 with Retry-After), scoped by namespace,
and an outage during which the server is unreachable."""
import socket
import time


def test_status_rules_answer_the_next_matching_requests(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    created = kube.ok("POST", base, {"metadata": {"name": "f"}})
    kube.ok("POST", "/_emulator/faults", {"namespace": ns, "method": "PUT", "path": "/configmaps/f$", "count": 1,
                                          "status": 409})
    kube.ok("POST", "/_emulator/faults", {"namespace": ns, "method": "GET", "path": "/configmaps/f$", "count": 2,
                                          "status": 429, "retryAfterSeconds": 3})
    status, _, body = kube.request("PUT", f"{base}/f", created)
    assert status == 409 and body["kind"] == "Status" and body["reason"] == "Conflict"
    assert kube.request("PUT", f"{base}/f", created)[0] == 200
    for _ in range(2):
        status, headers, body = kube.request("GET", f"{base}/f")
        assert status == 429 and headers["Retry-After"] == "3" and body["reason"] == "TooManyRequests"
    assert kube.request("GET", f"{base}/f")[0] == 200
    # another namespace is untouched by these rules
    assert kube.request("GET", "/api/v1/namespaces/default/configmaps")[0] == 200
    report = kube.ok("GET", f"/_emulator/faults?namespace={ns}")
    assert sorted((r["status"], r["served"], r["pending"]) for r in report["rules"]) == [(409, 1, 0), (429, 2, 0)]


def test_outage_makes_the_server_unreachable_then_it_comes_back_with_state(kube, ns):
    kube.ok("POST", f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "kept"}})
    stream = kube.watch(f"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=30")
    status, _, _ = kube.request("POST", "/_emulator/faults", {"outageSeconds": 1.5})
    assert status == 202
    started = time.monotonic()
    try:
        events = [e["type"] for e in stream]
    except Exception:  # the connection is closed mid-stream
        events = ["closed"]
    stream.close()
    assert events[0] == "ADDED" and time.monotonic() - started < 5
    kube.wait("the server to refuse connections", lambda: _refused(kube), timeout=3, interval=0.05)
    kube.wait("the server to answer again", lambda: _answers(kube), timeout=10, interval=0.2)
    assert kube.ok("GET", f"/api/v1/namespaces/{ns}/configmaps/kept")["metadata"]["name"] == "kept"


def _answers(kube):
    try:
        return kube.request("GET", "/version")[0] == 200
    except OSError:
        return False


def _refused(kube):
    try:
        with socket.create_connection(("127.0.0.1", kube.port), timeout=0.5):
            return False
    except OSError:
        return True
