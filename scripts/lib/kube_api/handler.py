"""The HTTP request handler: TLS per connection, authentication, routing, the API's
verbs, Status bodies for every failure and one request-log line per request."""
from __future__ import annotations

import hmac
import http.server
import json
import socket
import ssl
import time
import traceback
import urllib.parse

from . import endpoints, resources
from .status import ApiError, status_body

VERSION = {"major": "1", "minor": "33", "gitVersion": "v1.33.0-emulator", "gitCommit": "emulator",
           "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.24",
           "compiler": "gc", "platform": "linux/amd64", "emulationMajor": "1", "emulationMinor": "33"}




class Handler(http.server.BaseHTTPRequestHandler):
    """One connection: parses requests, authenticates them and dispatches them."""

    protocol_version = "HTTP/1.1"
    server_version = "kube-api-emulator"
    sys_version = ""
    timeout = 600

    # -- connection --------------------------------------------------------------------

    def setup(self):
        """TLS handshake in this connection's thread, then http.server's setup."""
        self._tracked = None
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle/delayed-ACK stalls
        self.request.settimeout(15)
        self.request = self.server.context.wrap_socket(self.request, server_side=True)
        self.request.settimeout(self.timeout)
        self._tracked = self.request
        with self.server.conn_lock:
            self.server.connections.add(self._tracked)
        super().setup()

    def finish(self):
        """Forgets the connection once it ends."""
        try:
            super().finish()
        finally:
            with self.server.conn_lock:
                self.server.connections.discard(self._tracked)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        """Silences http.server's own log (the request log is written by `_log`)."""

    # -- responses ---------------------------------------------------------------------

    def send_json(self, code: int, body, headers: dict | None = None) -> None:
        """Sends a JSON response with Content-Length."""
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self._code = code

    def send_error_status(self, err: ApiError) -> None:
        """Sends an ApiError's Status body (with Retry-After for 429/503 rules)."""
        headers = {}
        if err.retry_after is not None:
            headers["Retry-After"] = str(err.retry_after)
        self.send_json(err.code, err.body(), headers)

    def read_body(self) -> bytes:
        """The request body (Content-Length or chunked)."""
        self._body_read = True
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def json_body(self):
        """The request body parsed as JSON (400 Status when it is not)."""
        raw = self.read_body()
        try:
            return json.loads(raw or b"null")
        except ValueError as e:
            raise ApiError(400, f"the request body is not valid JSON: {e}", "BadRequest") from None

    def write_chunk(self, data: bytes) -> None:
        """Writes one chunk of a chunked response."""
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    # -- dispatch ----------------------------------------------------------------------

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        start = time.monotonic()
        self._code = 0
        self._user = "-"
        self._body_read = False
        em = self.server.emulator
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        self._query_lists = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            self._authenticate(em)
            self._route(em, method, url.path, query)
        except ApiError as err:
            self._consume_body()
            self.send_error_status(err)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout, OSError) as e:
            self.close_connection = True
            self._code = self._code or 499
            em.log_line(f"connection lost during {method} {url.path}: {e.__class__.__name__}")
        except Exception as e:  # never a traceback to the client, never a dead server thread
            em.log_line("internal error: " + " | ".join(traceback.format_exception(e)).replace("\n", " "))
            try:
                self.send_json(500, status_body(500, f"Internal error occurred: {e.__class__.__name__}: {e}",
                                                "InternalError"))
            except OSError:
                self.close_connection = True
        finally:
            em.log_line(f"{self.client_address[0]} {self._user} {method} {self.path} {self._code} "
                        f"{(time.monotonic() - start) * 1000:.1f}ms")

    def _consume_body(self):
        if not self._body_read and self.command in ("POST", "PUT", "PATCH", "DELETE"):
            try:
                if int(self.headers.get("Content-Length") or 0) or self.headers.get("Transfer-Encoding"):
                    self.read_body()
            except (ValueError, OSError):
                self.close_connection = True

    def _authenticate(self, em) -> None:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip().encode(), em.token.encode()):
            self._user = "token-user"
            return
        cert = self.request.getpeercert() if hasattr(self.request, "getpeercert") else None
        if cert:
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        self._user = value
                        return
        raise ApiError(401, "Unauthorized", "Unauthorized")

    def _route(self, em, method: str, path: str, query: dict) -> None:
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/") if p]
        if parts[:1] == ["_emulator"]:
            return endpoints.serve_emulator(self, em, method, parts[1:], query)
        if method == "GET":
            if parts == ["version"]:
                return self.send_json(200, VERSION)
            if parts in (["healthz"], ["readyz"], ["livez"]):
                body = b"ok"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(body)
                self._code = 200
                return
            if parts == ["api"]:
                return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                    {"clientCIDR": "0.0.0.0/0", "serverAddress": f"{em.host}:{em.port}"}]})
            if parts == ["apis"]:
                return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                    _group(g, vs) for g, vs in resources.groups().items()]})
            if len(parts) == 2 and parts[0] == "apis" and parts[1] in resources.groups():
                return self.send_json(200, {"kind": "APIGroup", "apiVersion": "v1",
                                            **_group(parts[1], resources.groups()[parts[1]])})
            if parts == ["api", "v1"] or (len(parts) == 3 and parts[0] == "apis"):
                listing = resources.resource_list("" if parts[0] == "api" else parts[1], parts[-1])
                if listing:
                    return self.send_json(200, listing)
        if parts[:2] == ["api", "v1"]:
            group, version, rest = "", "v1", parts[2:]
        elif len(parts) >= 3 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise ApiError(404, "the server could not find the requested resource", "NotFound")
        res, ns, name, sub = _resolve(group, version, rest)
        em.faults.check(ns if res.namespaced else (name if res.kind == "Namespace" else None), method, path,
                        urllib.parse.urlsplit(self.path).query)
        dry_run = "All" in self._query_lists.get("dryRun", [])
        if sub in ("log", "exec") and res.kind == "Pod" and name:
            return endpoints.serve_pod_stream(self, em, method, ns, name, sub, query)
        if sub == "scale" and res.kind == "StatefulSet" and name:
            return endpoints.serve_scale(self, em, method, ns, name, dry_run)
        if sub not in (None, "status", "finalize") or (sub and sub not in res.subresources):
            raise ApiError(404, "the server could not find the requested resource", "NotFound")
        if sub == "finalize":
            sub = None
        if name is None:
            if method == "GET":
                if query.get("watch") in ("true", "1"):
                    return endpoints.serve_watch(self, em, res, ns, query)
                return self.send_json(200, em.api.list(res, ns, query))
            if method == "POST":
                if ns is None and res.namespaced:
                    raise ApiError(405, "a namespace is needed to create this resource", "MethodNotAllowed")
                body = self.json_body()
                return self.send_json(201, em.api.create(res, ns or "", body, dry_run))
            if method == "DELETE":
                options = self._delete_options(query)
                items = []
                for obj in em.api.list(res, ns, query)["items"]:
                    items.append(em.api.delete(res, obj["metadata"].get("namespace", ""), obj["metadata"]["name"],
                                               options, dry_run)[1])
                return self.send_json(200, {"kind": f"{res.kind}List", "apiVersion": res.api_version,
                                            "metadata": {"resourceVersion": str(em.store.rv)}, "items": items})
            raise ApiError(405, f"{method} is not supported on a collection", "MethodNotAllowed")
        if res.namespaced and ns is None:
            raise ApiError(404, "the server could not find the requested resource", "NotFound")
        ns = ns or ""
        if method == "GET":
            if query.get("watch") in ("true", "1"):
                query = dict(query, fieldSelector=",".join(filter(None, [query.get("fieldSelector"),
                                                                          f"metadata.name={name}"])))
                return endpoints.serve_watch(self, em, res, ns, query)
            obj = em.api.get(res, ns, name)
            return self.send_json(200, obj)
        if method == "PUT":
            body = self.json_body()
            return self.send_json(200, em.api.update(res, ns, name, body, sub, dry_run))
        if method == "PATCH":
            raw = self.read_body()
            return self.send_json(200, em.api.patch(res, ns, name, self.headers.get("Content-Type", ""), raw, sub,
                                                    dry_run))
        if method == "DELETE":
            code, obj = em.api.delete(res, ns, name, self._delete_options(query), dry_run)
            return self.send_json(code, obj)
        raise ApiError(405, f"{method} is not supported on this resource", "MethodNotAllowed")

    def _delete_options(self, query: dict) -> dict:
        body = self.json_body()
        options = body if isinstance(body, dict) else {}
        if "propagationPolicy" in query:
            options["propagationPolicy"] = query["propagationPolicy"]
        if "gracePeriodSeconds" in query:
            try:
                options["gracePeriodSeconds"] = int(query["gracePeriodSeconds"])
            except ValueError:
                raise ApiError(400, "gracePeriodSeconds must be an integer", "BadRequest") from None
        if "orphanDependents" in query:
            options["orphanDependents"] = query["orphanDependents"] == "true"
        return options


def _group(name: str, versions: list[str]) -> dict:
    gvs = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": gvs, "preferredVersion": gvs[0]}


def _resolve(group: str, version: str, rest: list[str]):
    """(resource, namespace, name, subresource) of a path below a group version; 404 otherwise."""
    def lookup(plural):
        res = resources.BY_PATH.get((group, version, plural))
        if res is None:
            raise ApiError(404, "the server could not find the requested resource", "NotFound")
        return res
    if not rest:
        raise ApiError(404, "the server could not find the requested resource", "NotFound")
    if rest[0] == "namespaces" and len(rest) >= 3 and (group, version, rest[2]) in resources.BY_PATH \
            and resources.BY_PATH[(group, version, rest[2])].namespaced:
        res, ns, tail = lookup(rest[2]), rest[1], rest[3:]
    else:
        res, ns, tail = lookup(rest[0]), None, rest[1:]
        if res.namespaced and tail:
            raise ApiError(404, "the server could not find the requested resource", "NotFound")
    if len(tail) > 2:
        raise ApiError(404, "the server could not find the requested resource", "NotFound")
    return res, ns, (tail[0] if tail else None), (tail[1] if len(tail) > 1 else None)
