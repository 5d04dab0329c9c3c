"""Pods run by the simulated kubelet as local processes: readiness, pod IPs reachable
from the host, environment, volumes (read-only honoured), logs, exec, restarts and
graceful deletion."""
import base64
import json
import os
import socket
import struct
import urllib.request


def _ready(pod):
    if pod and any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", [])):
        return pod
    return None


def test_http_server_pod_becomes_ready_and_answers_on_its_ip(kube, ns):
    pods = f"/api/v1/namespaces/{ns}/pods"
    kube.ok("POST", f"/api/v1/namespaces/{ns}/secrets", {"metadata": {"name": "s"}, "stringData": {"token": "s3cr3t"}})
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"terminationGracePeriodSeconds": 2, "containers": [{
               "name": "web", "image": "python:3.12-slim", "workingDir": "/tmp",
               "command": ["python3", "-m", "http.server", "8888"],
               "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                       {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                       {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "token"}}}],
               "ports": [{"containerPort": 8888, "name": "http"}],
               "readinessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 1}}]}}
    kube.ok("POST", pods, pod)
    running = kube.wait("the pod to be Ready", lambda: _ready(kube.get(f"{pods}/web")))
    ip = running["status"]["podIP"]
    assert ip.startswith("127.88.") and running["status"]["phase"] == "Running"
    status = running["status"]["containerStatuses"][0]
    assert status["ready"] and "running" in status["state"] and status["restartCount"] == 0
    with urllib.request.urlopen(f"http://{ip}:8888/", timeout=5) as answer:
        assert answer.status == 200
    reasons = [e["reason"] for e in kube.events(ns, "web")]
    assert {"Scheduled", "Pulling", "Pulled", "Created", "Started"} <= set(reasons)
    log = kube.request("GET", f"{pods}/web/log")[2]
    assert '"GET / HTTP/1.1" 200' in log
    assert len(kube.request("GET", f"{pods}/web/log?tailLines=1&container=web")[2].splitlines()) == 1
    env = _exec(kube, ns, "web", ["sh", "-c", "echo $POD_NAME $POD_IP $TOKEN; pwd"])
    assert env["stdout"].split() == ["web", ip, "s3cr3t", "/tmp"] and env["status"]["status"] == "Success"
    failed = _exec(kube, ns, "web", ["sh", "-c", "exit 3"])
    assert failed["status"]["reason"] == "NonZeroExitCode"
    assert failed["status"]["details"]["causes"][0]["message"] == "3"
    kube.ok("DELETE", f"{pods}/web")
    terminating = kube.get(f"{pods}/web")
    assert terminating is None or terminating["metadata"]["deletionTimestamp"]
    kube.wait("the pod to go", lambda: kube.get(f"{pods}/web") is None, timeout=10)
    try:
        urllib.request.urlopen(f"http://{ip}:8888/", timeout=2)
        reachable = True
    except OSError:
        reachable = False
    assert not reachable


def test_read_only_mounts_refuse_writes(kube, ns):
    claims = f"/api/v1/namespaces/{ns}/persistentvolumeclaims"
    kube.ok("POST", claims, {"metadata": {"name": "data"}, "spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
    # a Mountpoint for S3 volume, bound by name, mounted read-only through its mount options
    bucket = f"bucket-{ns}"
    kube.ok("POST", "/api/v1/persistentvolumes", {"metadata": {"name": f"s3-{ns}"}, "spec": {
        "capacity": {"storage": "1Ti"}, "accessModes": ["ReadOnlyMany"], "storageClassName": "",
        "mountOptions": ["read-only", "prefix models/"],
        "csi": {"driver": "s3.csi.aws.com", "volumeHandle": bucket, "volumeAttributes": {"bucketName": bucket}}}})
    kube.ok("POST", claims, {"metadata": {"name": "models"}, "spec": {
        "accessModes": ["ReadOnlyMany"], "storageClassName": "", "volumeName": f"s3-{ns}",
        "resources": {"requests": {"storage": "1Ti"}}}})
    os.makedirs(os.path.join(kube.state, "s3", bucket, "models"), exist_ok=True)
    with open(os.path.join(kube.state, "s3", bucket, "models", "weights"), "w") as f:
        f.write("w1\n")
    script = ("for d in /rw /ro /s3; do if echo x > $d/probe 2>/dev/null; then echo $d writable; "
              "else echo $d read-only; fi; done; cat /ro/seed /s3/weights; sleep 3600")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mounts"},
           "spec": {"terminationGracePeriodSeconds": 1,
                    "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
                                {"name": "models", "persistentVolumeClaim": {"claimName": "models"}}],
                    "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", script],
                                    "volumeMounts": [{"name": "data", "mountPath": "/rw"},
                                                     {"name": "data", "mountPath": "/ro", "readOnly": True},
                                                     {"name": "models", "mountPath": "/s3"}]}]}}
    bound = kube.wait("the claim to bind", lambda: (c := kube.get(f"{claims}/data"))["status"]["phase"] == "Bound" and c)
    kube.wait("the S3 claim to bind", lambda: kube.get(f"{claims}/models")["status"]["phase"] == "Bound")
    with open(os.path.join(kube.state, "volumes", bound["spec"]["volumeName"], "seed"), "w") as f:
        f.write("seeded\n")
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", pod)
    log = kube.wait("the mount report", lambda: "w1" in (text := _log(kube, ns, "mounts")) and text)
    assert "/rw writable" in log and "/ro read-only" in log and "/s3 read-only" in log and "seeded" in log
    assert os.path.exists(os.path.join(kube.state, "volumes", bound["spec"]["volumeName"], "probe"))
    assert not os.path.exists(os.path.join(kube.state, "s3", bucket, "models", "probe"))


def test_crashing_container_restarts_with_back_off(kube, ns):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "crash"},
           "spec": {"containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "echo boom; exit 2"]}]}}
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", pod)

    def restarted():
        p = kube.get(f"/api/v1/namespaces/{ns}/pods/crash")
        statuses = p["status"].get("containerStatuses") or []
        return statuses and statuses[0]["restartCount"] >= 1 and statuses[0]
    status = kube.wait("a restart", restarted, timeout=15)
    assert status["lastState"]["terminated"]["exitCode"] == 2
    assert status["lastState"]["terminated"]["reason"] == "Error"
    assert any(e["reason"] == "BackOff" for e in kube.events(ns, "crash"))
    once = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "once"},
            "spec": {"restartPolicy": "Never",
                     "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "echo done"]}]}}
    kube.ok("POST", f"/api/v1/namespaces/{ns}/pods", once)
    done = kube.wait("the pod to succeed", lambda: (p := kube.get(f"/api/v1/namespaces/{ns}/pods/once"))["status"]["phase"] == "Succeeded" and p)
    term = done["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 0 and term["reason"] == "Completed"
    assert _log(kube, ns, "once") == "done\n"


def _log(kube, ns, name):
    status, _, body = kube.request("GET", f"/api/v1/namespaces/{ns}/pods/{name}/log")
    return body if status == 200 and isinstance(body, str) else ""


def _exec(kube, ns, pod, command):
    """Runs `command` through pods/exec (WebSocket, v5.channel.k8s.io); returns stdout,
    stderr and the final Status."""
    query = "&".join(f"command={urllib.request.quote(c)}" for c in command) + "&stdout=true&stderr=true"
    raw = socket.create_connection(("127.0.0.1", kube.port), timeout=10)
    s = kube.context().wrap_socket(raw, server_hostname="127.0.0.1")
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /api/v1/namespaces/{ns}/pods/{pod}/exec?{query} HTTP/1.1\r\nHost: x\r\n"
               f"Authorization: Bearer {kube.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
               f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    head, buf = buf.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101"), head
    out = {"stdout": "", "stderr": "", "status": None}

    def need(n):
        nonlocal buf
        while len(buf) < n:
            chunk = s.recv(65536)
            if not chunk:
                raise EOFError
            buf += chunk
    try:
        while True:
            need(2)
            opcode, length = buf[0] & 0x0F, buf[1] & 0x7F
            offset = 2
            if length == 126:
                need(4)
                length, offset = struct.unpack(">H", buf[2:4])[0], 4
            elif length == 127:
                need(10)
                length, offset = struct.unpack(">Q", buf[2:10])[0], 10
            need(offset + length)
            payload, buf = buf[offset:offset + length], buf[offset + length:]
            if opcode == 8:
                break
            if opcode == 2 and payload:
                channel, data = payload[0], payload[1:]
                if channel == 1:
                    out["stdout"] += data.decode()
                elif channel == 2:
                    out["stderr"] += data.decode()
                elif channel == 3 and data:
                    out["status"] = json.loads(data)
    except EOFError:
        pass
    s.close()
    return out


def test_init_containers_run_to_completion_first(kube, ns):
    pods = f"/api/v1/namespaces/{ns}/pods"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "staged"},
           "spec": {"terminationGracePeriodSeconds": 1, "volumes": [{"name": "work", "emptyDir": {}}],
                    "initContainers": [{"name": "prepare", "image": "busybox",
                                        "command": ["sh", "-c", "echo prepared > /work/state"],
                                        "volumeMounts": [{"name": "work", "mountPath": "/work"}]}],
                    "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "cat /work/state; sleep 3600"],
                                    "volumeMounts": [{"name": "work", "mountPath": "/work"}]}]}}
    kube.ok("POST", pods, pod)
    running = kube.wait("the pod to be Ready", lambda: _ready(kube.get(f"{pods}/staged")))
    init = running["status"]["initContainerStatuses"][0]
    assert init["state"]["terminated"]["reason"] == "Completed" and init["ready"]
    kube.wait("the main container's output", lambda: _log(kube, ns, "staged").startswith("prepared"))
    failing = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "broken"},
               "spec": {"restartPolicy": "Never",
                        "initContainers": [{"name": "prepare", "image": "busybox", "command": ["sh", "-c", "exit 1"]}],
                        "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "3600"]}]}}
    kube.ok("POST", pods, failing)
    failed = kube.wait("the pod to fail", lambda: (p := kube.get(f"{pods}/broken"))["status"]["phase"] == "Failed" and p)
    main = failed["status"]["containerStatuses"][0]
    assert main["state"]["waiting"]["reason"] == "PodInitializing" and not main.get("containerID")
    initialized = next(c for c in failed["status"]["conditions"] if c["type"] == "Initialized")
    assert initialized["status"] == "False"
