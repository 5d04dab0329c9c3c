"""The endpoints that are more than one JSON answer: watches, pod logs and exec, the
StatefulSet scale subresource, and the emulator's own /_emulator endpoints. Each takes
the request's Handler and the Emulator."""
from __future__ import annotations

import json
import select
import socket
import ssl
import time

from . import patch as patching
from . import resources, watch, websocket
from .rest import SCALE
from .status import ApiError, conflict


def serve_watch(handler, em, res, ns, query) -> None:
    """Streams a watch as chunked JSON lines (dropped abruptly when a fault rule says so)."""
    drop_after = em.faults.take_drop(ns)
    stream = watch.events(em.store, res, ns, query, bookmark_seconds=em.bookmark_seconds,
                          drop_after=drop_after, stopped=lambda: em.stopping)
    first = next(stream, None)  # selectors are parsed before the headers go out
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    handler._code = 200
    event = first
    while True:
        if event is watch.DROP:
            handler.close_connection = True
            handler.wfile.flush()
            handler.request.shutdown(socket.SHUT_RDWR)
            return
        if event is not None:
            handler.write_chunk(json.dumps(event).encode() + b"\n")
        elif client_gone(handler):
            handler.close_connection = True
            return
        event = next(stream, StopIteration)
        if event is StopIteration:
            break
    handler.wfile.write(b"0\r\n\r\n")
    handler.wfile.flush()

def client_gone(handler) -> bool:
    """Whether the peer closed the connection (checked while a watch is idle)."""
    try:
        readable, _, _ = select.select([handler.request], [], [], 0)
        if not readable:
            return False
        handler.request.setblocking(False)
        try:
            return handler.request.recv(1) == b""
        finally:
            handler.request.setblocking(True)
            handler.request.settimeout(handler.timeout)
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    except (OSError, ValueError):
        return True

def serve_pod_stream(handler, em, method: str, ns: str, name: str, sub: str, query: dict) -> None:
    """pods/log (plain text, optionally followed) and pods/exec (a WebSocket)."""
    pod = em.api.get(resources.by_kind("Pod"), ns, name)
    container = query.get("container")
    if sub == "log":
        if method != "GET":
            raise ApiError(405, "pods/log supports GET only", "MethodNotAllowed")
        tail = query.get("tailLines")
        if tail and not tail.lstrip("-").isdigit():
            raise ApiError(400, f"tailLines must be an integer, not {tail!r}", "BadRequest")
        data = em.kubelet.logs(pod, container, int(tail) if tail else None)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if query.get("follow") != "true":
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            handler._code = 200
            return
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler._code = 200
        sent = len(data)
        if data:
            handler.write_chunk(data)
        while not em.stopping:
            time.sleep(0.2)
            pod_now = em.store.get(resources.by_kind("Pod"), ns, name)
            data = em.kubelet.logs(pod, container, None) if pod_now else b""
            if len(data) > sent:
                handler.write_chunk(data[sent:])
                sent = len(data)
            if pod_now is None or em.kubelet.container_exited(pod_now, container):
                break
        handler.wfile.write(b"0\r\n\r\n")
        return
    command = handler._query_lists.get("command", [])
    if not command:
        raise ApiError(400, "you must specify at least 1 command", "BadRequest")
    if handler.headers.get("Upgrade", "").lower() != "websocket":
        raise ApiError(400, "Upgrade request required", "BadRequest")
    if websocket.negotiate_subprotocol(handler.headers.get("Sec-WebSocket-Protocol")) is None:
        raise ApiError(400, "no supported subprotocol: offer v5.channel.k8s.io or v4.channel.k8s.io",
                       "BadRequest")
    flags = {k: query.get(k) in ("true", "1") for k in ("stdin", "stdout", "stderr")}
    process = em.kubelet.exec(pod, container, command, flags["stdin"])
    handler._code = 101
    handler.close_connection = True
    websocket.serve_exec(handler, process, stdout=flags["stdout"], stderr=flags["stderr"], stdin=flags["stdin"],
                         coalesced=not flags["stdin"] and em.faults.take_coalesced(ns))

def serve_scale(handler, em, method: str, ns: str, name: str, dry_run: bool) -> None:
    """statefulsets/scale: GET, PUT and PATCH of an autoscaling/v1 Scale."""
    sts_res = resources.by_kind("StatefulSet")
    with em.store.lock:
        sts = em.api.get(sts_res, ns, name)
        scale = em.api.scale(sts)
        if method == "GET":
            return handler.send_json(200, scale)
        if method == "PUT":
            new = handler.json_body()
        elif method == "PATCH":
            raw = handler.read_body()
            try:
                doc = json.loads(raw or b"null")
            except ValueError as e:
                raise ApiError(400, f"the patch is not valid JSON: {e}", "BadRequest") from None
            ctype = handler.headers.get("Content-Type", "").split(";")[0].strip()
            new = patching.json_patch(scale, doc) if ctype == "application/json-patch+json" \
                else patching.merge_patch(scale, doc if isinstance(doc, dict) else {})
        else:
            raise ApiError(405, f"{method} is not supported on scale", "MethodNotAllowed")
        if not isinstance(new, dict):
            raise ApiError(400, "the request body must be a JSON object", "BadRequest")
        new.setdefault("kind", "Scale")
        new.setdefault("apiVersion", "autoscaling/v1")
        new.setdefault("metadata", {}).setdefault("namespace", ns)
        em.api.validate(SCALE, new)
        replicas = (new.get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or replicas < 0:
            raise ApiError(422, f'Scale.autoscaling "{name}" is invalid: spec.replicas: must be a '
                                "non-negative integer", "Invalid", name=name, group="autoscaling", kind="Scale",
                           causes=[{"reason": "FieldValueInvalid", "field": "spec.replicas",
                                    "message": "must be greater than or equal to 0"}])
        rv = (new.get("metadata") or {}).get("resourceVersion")
        if rv and rv != sts["metadata"]["resourceVersion"]:
            raise conflict(sts_res, name, "the object has been modified; please apply your changes to the "
                                          "latest version and try again")
        if not dry_run:
            sts["spec"]["replicas"] = replicas
            sts = em.store.replace(sts_res, sts)
        else:
            sts["spec"]["replicas"] = replicas
        return handler.send_json(200, em.api.scale(sts))

def serve_emulator(handler, em, method: str, parts: list[str], query: dict) -> None:
    """/_emulator/validations and /_emulator/faults."""
    if parts == ["validations"] and method == "GET":
        return handler.send_json(200, {"validated": em.api.validations_for(query.get("namespace"))})
    if parts == ["faults"] and method == "GET":
        return handler.send_json(200, em.faults.report(query.get("namespace")))
    if parts == ["faults"] and method == "POST":
        rule = handler.json_body()
        actions = em.faults.add(rule)
        if "compact" in actions:
            em.store.compact()
        handler.send_json(202 if "outage" in actions else 201, {"accepted": rule, "resourceVersion": str(em.store.rv)})
        if "outage" in actions:
            handler.close_connection = True
            em.start_outage(float(rule["outageSeconds"]))
        return
    raise ApiError(404, "the server could not find the requested resource", "NotFound")
