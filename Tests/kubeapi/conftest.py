"""Shared fixtures of the emulator's suite: one emulator for the session (started with
scripts/kube-api-server.sh on a free port with its own state directory, stopped at the
end), an HTTPS client with the kubeconfig's credentials, and a namespace per test."""
import base64
import http.client
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import uuid

import pytest
import yaml

import testkit

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "kube-api-server.sh")


free_port = testkit.free_port


class Kube:
    """A minimal Kubernetes API client: JSON requests with the kubeconfig's bearer token
    (or client certificate), answers as (status, headers, body)."""

    def __init__(self, state: str, port: int):
        self.state, self.port = state, port
        with open(os.path.join(state, "kubeconfig")) as f:
            self.config = yaml.safe_load(f)
        users = {u["name"]: u["user"] for u in self.config["users"]}
        self.token = users["token-user"]["token"]
        self.ca = os.path.join(state, "pki", "ca.crt")
        self.cert_files = self._write_cert(users["cert-user"])

    def _write_cert(self, user):
        directory = tempfile.mkdtemp(prefix="kapi-cert-")
        paths = []
        for field, name in (("client-certificate-data", "c.crt"), ("client-key-data", "c.key")):
            path = os.path.join(directory, name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(user[field]))
            paths.append(path)
        return tuple(paths)

    def context(self, cert: bool = False) -> ssl.SSLContext:
        """TLS context trusting the emulator's CA (and presenting cert-user's certificate)."""
        ctx = ssl.create_default_context(cafile=self.ca)
        if cert:
            ctx.load_cert_chain(*self.cert_files)
        return ctx

    def connection(self, cert: bool = False, timeout: float = 10) -> http.client.HTTPSConnection:
        """A new HTTPS connection to the emulator."""
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context(cert), timeout=timeout)

    def request(self, method: str, path: str, body=None, content_type: str = "application/json",
                token: str | None = "default", cert: bool = False, raw: bytes | None = None):
        """(status, headers, parsed body or text)."""
        conn = self.connection(cert)
        headers = {"Accept": "application/json"}
        if token == "default":
            token = self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = payload.decode("utf-8", "replace")
            return resp.status, dict(resp.getheaders()), parsed
        finally:
            conn.close()

    def ok(self, method: str, path: str, body=None, **kw):
        """The body of a 2xx answer (fails the test otherwise)."""
        status, _, parsed = self.request(method, path, body, **kw)
        assert 200 <= status < 300, (method, path, status, parsed)
        return parsed

    def get(self, path: str):
        """The object at `path`, or None on 404."""
        status, _, parsed = self.request("GET", path)
        if status == 404:
            return None
        assert status == 200, (path, status, parsed)
        return parsed

    def wait(self, what: str, check, timeout: float = 20, interval: float = 0.1):
        """Polls `check()` until it returns something truthy; fails with `what` otherwise."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(interval)
        pytest.fail(f"timed out after {timeout}s waiting for {what} (last: {last!r})")

    def watch(self, path: str, timeout: float = 15):
        """A watch stream: yields events (dicts) until the server ends the stream."""
        conn = self.connection(timeout=timeout)
        conn.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
        resp = conn.getresponse()
        assert resp.status == 200, resp.read()
        assert resp.getheader("Transfer-Encoding") == "chunked"
        return _Events(conn, resp)

    def events(self, ns: str, name: str) -> list[dict]:
        """The Events about object `name` in `ns`."""
        return self.ok("GET", f"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name={name}")["items"]


class _Events:
    def __init__(self, conn, resp):
        self.conn, self.resp = conn, resp

    def __iter__(self):
        while True:
            line = self.resp.readline()
            if not line:
                return
            yield json.loads(line)

    def close(self):
        """Closes the stream's connection."""
        self.conn.close()


@pytest.fixture(scope="session")
def kube():
    """The emulator for the whole session, on a free port with a state directory of its own."""
    state = tempfile.mkdtemp(prefix="kapi-test-")
    port = free_port()
    env = dict(os.environ, KUBE_API_PORT=str(port), KUBE_API_STATE=state, KUBE_API_BOOKMARK_SECONDS="0.5")
    started = subprocess.run([SCRIPT, "start"], env=env, capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == os.path.join(state, "kubeconfig")
    client = Kube(state, port)
    client.env = env
    yield client
    stopped = subprocess.run([SCRIPT, "stop"], env=env, capture_output=True, text=True, timeout=60)
    with open(os.path.join(state, "server.log")) as f:
        failures = [line for line in f if " error" in line and ("internal error" in line or "controller error" in line
                                                                or "kubelet error" in line)]
    leftovers = subprocess.run(["pgrep", "-f", state], capture_output=True, text=True).stdout.split()
    shutil.rmtree(state, ignore_errors=True)
    shutil.rmtree(os.path.dirname(client.cert_files[0]), ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert not failures, "the emulator logged errors:\n" + "".join(failures[:5])
    assert not leftovers, f"processes of the emulator outlived it: {leftovers}"


@pytest.fixture
def ns(kube):
    """A namespace of the test's own (fault rules are scoped by it); deleted afterwards."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    kube.ok("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    yield name
    kube.request("DELETE", f"/api/v1/namespaces/{name}")
