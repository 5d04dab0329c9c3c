"""Watches: a chunked stream of ADDED, MODIFIED, DELETED and BOOKMARK events, and 410
Expired for a resourceVersion older than the retained history."""
import ssl
import threading


def test_watch_streams_changes_and_bookmarks(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    start = kube.ok("GET", base)["metadata"]["resourceVersion"]
    stream = kube.watch(f"{base}?watch=true&resourceVersion={start}&allowWatchBookmarks=true&timeoutSeconds=10")
    seen = []
    done = threading.Event()

    def read():
        for event in stream:
            seen.append(event)
            if event["type"] == "DELETED":
                break
        done.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    created = kube.ok("POST", base, {"metadata": {"name": "w", "labels": {"a": "1"}}, "data": {"k": "v"}})
    kube.ok("PATCH", f"{base}/w", {"data": {"k": "v2"}}, content_type="application/merge-patch+json")
    kube.wait("a bookmark", lambda: any(e["type"] == "BOOKMARK" for e in seen), timeout=5)
    kube.ok("DELETE", f"{base}/w")
    assert done.wait(10)
    stream.close()
    kinds = [e["type"] for e in seen if e["type"] != "BOOKMARK"]
    assert kinds == ["ADDED", "MODIFIED", "DELETED"], seen
    objects = [e["object"] for e in seen if e["type"] != "BOOKMARK"]
    assert objects[0]["metadata"]["uid"] == created["metadata"]["uid"] and objects[0]["kind"] == "ConfigMap"
    assert objects[1]["data"] == {"k": "v2"}
    rvs = [int(o["metadata"]["resourceVersion"]) for o in objects]
    assert rvs == sorted(rvs) and rvs[0] > int(start)
    bookmark = next(e for e in seen if e["type"] == "BOOKMARK")["object"]
    assert set(bookmark) == {"kind", "apiVersion", "metadata"} and set(bookmark["metadata"]) == {"resourceVersion"}


def test_watch_with_selector_and_initial_list(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    kube.ok("POST", base, {"metadata": {"name": "keep", "labels": {"app": "x"}}})
    kube.ok("POST", base, {"metadata": {"name": "other"}})
    stream = kube.watch(f"{base}?watch=true&labelSelector=app%3Dx&timeoutSeconds=1")
    events = list(stream)  # the server ends the stream after timeoutSeconds
    stream.close()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "keep")]
    stream = kube.watch(f"{base}?watch=true&labelSelector=app%3Dx&sendInitialEvents=true&allowWatchBookmarks=true"
                        "&resourceVersionMatch=NotOlderThan&timeoutSeconds=1")
    events = list(stream)
    stream.close()
    assert [e["type"] for e in events[:2]] == ["ADDED", "BOOKMARK"]
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_watch_from_compacted_history_gets_410_expired(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    old = kube.ok("POST", base, {"metadata": {"name": "c"}})["metadata"]["resourceVersion"]
    kube.ok("PATCH", f"{base}/c", {"data": {"a": "b"}}, content_type="application/merge-patch+json")
    kube.ok("POST", "/_emulator/faults", {"compactHistory": True})
    stream = kube.watch(f"{base}?watch=true&resourceVersion={old}")
    events = list(stream)
    stream.close()
    assert len(events) == 1 and events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert status["kind"] == "Status" and status["code"] == 410 and status["reason"] == "Expired"
    assert "too old resource version" in status["message"]
    current = kube.ok("GET", base)["metadata"]["resourceVersion"]
    stream = kube.watch(f"{base}?watch=true&resourceVersion={current}&timeoutSeconds=1")
    assert [e["type"] for e in stream] == []
    stream.close()


def _raw_get(kube, path: str) -> bytes:
    """The raw bytes of an answer, read until the server closes the connection."""
    import socket
    with socket.create_connection(("127.0.0.1", kube.port), timeout=10) as raw:
        with kube.context().wrap_socket(raw, server_hostname="127.0.0.1") as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {kube.token}\r\n"
                      "Connection: close\r\n\r\n".encode())
            data = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (OSError, ssl.SSLError):
                    break
                if not chunk:
                    break
                data += chunk
            return data


def test_dropped_watch_ends_without_terminating_chunk(kube, ns):
    base = f"/api/v1/namespaces/{ns}/configmaps"
    for name in ("a", "b", "c"):
        kube.ok("POST", base, {"metadata": {"name": name}})
    complete = _raw_get(kube, f"{base}?watch=true&timeoutSeconds=1")
    assert complete.endswith(b"\r\n0\r\n\r\n") and complete.count(b'"ADDED"') == 3
    kube.ok("POST", "/_emulator/faults", {"namespace": ns, "dropWatchAfterEvents": 2})
    dropped = _raw_get(kube, f"{base}?watch=true&timeoutSeconds=5")
    assert dropped.count(b'"ADDED"') == 2
    assert not dropped.endswith(b"0\r\n\r\n")
