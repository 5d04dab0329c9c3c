"""Sharing a running session through the gateway's connection proxy: links, cookies,
bearer tokens, roles, WebSocket tunnels and the connected-users list, through a real
gateway with grpcio and http.client."""
import http.client
import json
import os
import shutil
import socket
import tempfile
import time

import grpc
import pytest

from gateway_procs import Gateway, free_port, session_processes, sessiongw, write_python_preset_config

# A session "IDE" that needs its backend token in the query (the proxy adds it), echoes
# requests with the token in the body (the proxy must mask it), and echoes the bytes of
# an upgraded (WebSocket) connection.
ECHO_BACKEND = """
import http.server, json, os
TOKEN = os.environ["SESSION_TOKEN"]
class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if "token=" + TOKEN not in self.path:
            return self.reply(401, b"the backend token is missing")
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data:
                    break
                self.connection.sendall(data)
            self.close_connection = True
            return
        self.reply(200, json.dumps({"path": self.path, "token": TOKEN}).encode())
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), Echo).serve_forever()
"""


@pytest.fixture
def sharing(api):
    """A gateway whose connection proxy listens on a known port, with the `echo`
    preset and members alice (connect), victor (view) and olga (admin of `lab` only)."""
    work = tempfile.mkdtemp(prefix="sessiongw-sharing-")
    proxy_port = free_port()
    config = os.path.join(work, "config.yaml")
    write_python_preset_config(config, "echo", ECHO_BACKEND, f"""
workspaces: [lab]
members:
  - {{workspace: default, caller: alice, role: connect}}
  - {{workspace: default, caller: victor, role: view}}
  - {{workspace: lab, caller: olga, role: admin}}
connect:
  listen: 127.0.0.1:{proxy_port}
  linkLifetime: 10m""")
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    assert gateway.proxy_url == f"http://127.0.0.1:{proxy_port}"
    channel = grpc.insecure_channel(gateway.address)
    tokens = {caller: sessiongw("token", "create", "--data-dir", gateway.data_dir, "--caller", caller).stdout.strip()
              for caller in ("alice", "victor", "olga")}
    yield gateway, channel, proxy_port, tokens
    channel.close()
    gateway.stop()
    gateway.kill_session_processes()
    shutil.rmtree(work, ignore_errors=True)


def request(port, path, method="GET", headers=None):
    """One HTTP/1.1 request to the proxy; (status, headers, body). Redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    result = (response.status, {name.lower(): value for name, value in response.getheaders()}, response.read().decode())
    connection.close()
    return result


def backend_token(session_id):
    """The session's own access token, from its process environment."""
    for pid in session_processes().get(session_id, []):
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                for variable in handle.read().split(b"\0"):
                    if variable.startswith(b"SESSION_TOKEN="):
                        return variable[len(b"SESSION_TOKEN="):].decode()
        except OSError:
            continue
    raise AssertionError("the session's process was not found")


def test_sharing_a_session_through_the_proxy(sharing, api):
    gateway, channel, port, tokens = sharing
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    types, pb = api["types"], api["session_service"]
    admin = [("authorization", f"Bearer {gateway.token}")]
    alice = [("authorization", f"Bearer {tokens['alice']}")]
    created = sessions.CreateSession(pb.CreateSessionRequest(
        name="shared", spec=types.SessionSpec(preset="echo", image="python3", compute_environment="local")),
        metadata=admin, timeout=30)
    deadline = time.time() + 60
    while types.SessionState.Name(sessions.GetSession(pb.GetSessionRequest(session_id=created.id), metadata=admin,
                                                      timeout=10).state) != "SESSION_STATE_RUNNING":
        assert time.time() < deadline, "the session did not become RUNNING"
        time.sleep(0.2)
    secret = backend_token(created.id)
    prefix = f"/sessions/default/{created.id}/"
    seen = []

    # GetSessionConnection: the proxy's URL and a link ticket; view may not ask for it.
    link = sessions.GetSessionConnection(pb.GetSessionConnectionRequest(session_id=created.id), metadata=alice, timeout=10)
    assert link.url == f"{gateway.proxy_url}{prefix}?access_token={link.access_token}"
    assert link.access_token.startswith("sgl-") and link.access_token_expire_time.ToSeconds() > time.time() + 500
    seen.append(link.SerializeToString().decode(errors="replace"))
    with pytest.raises(grpc.RpcError) as refused:
        sessions.GetSessionConnection(pb.GetSessionConnectionRequest(session_id=created.id),
                                      metadata=[("authorization", f"Bearer {tokens['victor']}")], timeout=10)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    # No credentials: 401. The link: a cookie and a redirect without the token.
    status, headers, body = request(port, prefix)
    assert status == 401 and headers["www-authenticate"].startswith("Bearer")
    status, headers, body = request(port, f"{prefix}?access_token={link.access_token}", headers={"Accept": "text/html"})
    assert status == 303 and headers["location"] == prefix
    cookie = headers["set-cookie"]
    assert cookie.startswith("sessiongw_link=sgl-")
    assert all(attribute in cookie for attribute in ("HttpOnly", "SameSite=Strict", f"Path={prefix}"))
    cookie = cookie.split(";")[0]
    status, headers, body = request(port, prefix + "notebooks/a.ipynb", headers={"Cookie": cookie})
    assert status == 200
    echoed = json.loads(body)
    assert echoed["path"].startswith("/notebooks/a.ipynb?token=") and echoed["token"] == "*" * len(secret)
    seen += [json.dumps(headers), body]

    # A script may fetch the link itself, or send the ticket as X-Session-Token.
    status, headers, body = request(port, f"{prefix}x?access_token={link.access_token}")
    assert status == 200 and json.loads(body)["path"].startswith("/x?token=")
    assert request(port, prefix, headers={"X-Session-Token": link.access_token})[0] == 200

    # Bearer tokens: alice gets through; victor (view) 403; olga (another workspace) and unknown sessions 404.
    assert request(port, prefix, headers={"Authorization": f"Bearer {tokens['alice']}"})[0] == 200
    assert request(port, prefix, headers={"Authorization": f"Bearer {tokens['victor']}"})[0] == 403
    assert request(port, prefix, headers={"Authorization": f"Bearer {tokens['olga']}"})[0] == 404
    assert request(port, "/sessions/default/s-nosuchsession/", headers={"Authorization": f"Bearer {tokens['alice']}"})[0] == 404

    # A WebSocket upgrade is tunnelled byte for byte.
    with socket.create_connection(("127.0.0.1", port), timeout=15) as tunnel:
        tunnel.sendall((f"GET {prefix}api/kernels/k/channels HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                        f"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        f"Cookie: {cookie}\r\n\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += tunnel.recv(4096)
        assert received.startswith(b"HTTP/1.1 101")
        tunnel.sendall(b"hello kernel")
        echoed = received.split(b"\r\n\r\n", 1)[1]
        while len(echoed) < len(b"hello kernel"):
            echoed += tunnel.recv(4096)
        assert echoed == b"hello kernel"

        # Members see who is connected, in the API and in `sessiongw session get`.
        shown = sessions.GetSession(pb.GetSessionRequest(session_id=created.id),
                                    metadata=[("authorization", f"Bearer {tokens['victor']}")], timeout=10)
        assert [user.user for user in shown.connected_users] == ["alice"]
        assert shown.connected_users[0].open_connections == 1
        assert shown.connection_url == f"{gateway.proxy_url}{prefix}"
        # WatchSessions shows the session the same way: the proxy's URL, who is connected.
        watch = sessions.WatchSessions(pb.WatchSessionsRequest(),
                                       metadata=[("authorization", f"Bearer {tokens['victor']}")], timeout=10)
        watched = next(event.session for event in watch if event.session.id == created.id)
        watch.cancel()
        assert watched.connection_url == shown.connection_url
        assert [(user.user, user.open_connections) for user in watched.connected_users] == [("alice", 1)]
        cli = sessiongw("session", "get", created.id, "--address", gateway.address, "--token", tokens["victor"]).stdout
        assert "Connected" in cli and "alice" in cli

    # Revoking the API token the link was issued to ends the link's cookie too.
    token_id = tokens["alice"].split("_")[1]
    sessiongw("token", "revoke", token_id, "--data-dir", gateway.data_dir)
    assert request(port, prefix, headers={"Authorization": f"Bearer {tokens['alice']}"})[0] == 401
    assert request(port, prefix, headers={"Cookie": cookie})[0] == 401

    # A paused session: 409.
    sessions.PauseSession(pb.PauseSessionRequest(session_id=created.id), metadata=admin, timeout=60)
    assert request(port, prefix, headers={"Authorization": f"Bearer {gateway.token}"})[0] == 409

    for text in seen:
        assert secret not in text
    with open(gateway.log_path, "rb") as handle:
        log = handle.read()
    assert secret.encode() not in log and link.access_token.encode() not in log
