"""Workspaces, roles, tokens, JWTs and TLS, through a real gateway with grpcio."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import tempfile
import time

import grpc
import pytest

from gateway_procs import ROOT, Gateway, sessiongw

JWT_SECRET = "a-test-jwt-secret-of-at-least-32-bytes"
SECRET_VALUE = "s3cr3t-value-that-must-never-appear"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims, secret=JWT_SECRET, alg="HS256"):
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest() if alg == "HS256" else b""
    return f"{header}.{payload}.{b64url(signature)}"


@pytest.fixture
def secured(api, request):
    """A gateway with TLS (mutual TLS when the test is marked so), a workspace `lab`
    with members, and JWT keys."""
    mutual = request.node.get_closest_marker("mutual_tls") is not None
    work = tempfile.mkdtemp(prefix="sessiongw-access-")
    certs = os.path.join(work, "certs")
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "make-test-cert.sh"), certs], check=True, capture_output=True)
    with open(os.path.join(work, "jwt.secret"), "w") as handle:
        handle.write(JWT_SECRET)
    config = os.path.join(work, "config.yaml")
    with open(config, "w") as handle:
        handle.write(f"""
tls: {{certificate: {certs}/server.pem, privateKey: {certs}/server.key{f", clientCA: {certs}/ca.pem" if mutual else ""}}}
workspaces: [lab]
members:
  - {{workspace: lab, caller: viewer, role: view}}
  - {{workspace: lab, caller: cert-user, role: view}}
  - {{workspace: lab, caller: jwt-user, role: launch}}
jwt:
  issuer: https://id.example.com
  audience: sessiongw
  keys: [{{algorithm: HS256, secretFile: {work}/jwt.secret}}]
""")
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    # Under TLS the connection proxy serves HTTPS too.
    assert gateway.proxy_url.startswith("https://127.0.0.1:")
    def read(name):
        with open(os.path.join(certs, name), "rb") as handle:
            return handle.read()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read("ca.pem"),
        private_key=read("client.key") if mutual else None, certificate_chain=read("client.pem") if mutual else None)
    channel = grpc.secure_channel(gateway.address, credentials, options=[("grpc.ssl_target_name_override", "localhost")])
    yield gateway, channel, work
    channel.close()
    gateway.stop()
    shutil.rmtree(work, ignore_errors=True)


def code_of(call):
    try:
        call()
        return grpc.StatusCode.OK
    except grpc.RpcError as error:
        return error.code()


def test_tls_tokens_roles_and_jwts(secured, api):
    gateway, channel, _ = secured
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    catalog = api["catalog_service_grpc"].CatalogServiceStub(channel)
    pb = api["session_service"]

    def bearer(token):
        return [("authorization", f"Bearer {token}")]

    # TLS: the administrator token works over it; a cleartext client gets nowhere.
    assert code_of(lambda: catalog.ListPresets(api["catalog_service"].ListPresetsRequest(), metadata=bearer(gateway.token), timeout=10)) \
        == grpc.StatusCode.OK
    plain = grpc.insecure_channel(gateway.address)
    assert code_of(lambda: api["catalog_service_grpc"].CatalogServiceStub(plain).ListPresets(
        api["catalog_service"].ListPresetsRequest(), metadata=bearer(gateway.token), timeout=5)) == grpc.StatusCode.UNAVAILABLE
    plain.close()

    # An API token made with the admin command: its caller's role decides.
    token = sessiongw("token", "create", "--data-dir", gateway.data_dir, "--caller", "viewer").stdout.strip()
    assert token.startswith("sgw_")
    listing = sessiongw("token", "list", "--data-dir", gateway.data_dir).stdout
    assert "viewer" in listing and token not in listing
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="lab"), metadata=bearer(token), timeout=10)) \
        == grpc.StatusCode.OK
    assert code_of(lambda: sessions.CreateSession(pb.CreateSessionRequest(workspace="lab", name="x"), metadata=bearer(token),
                                                  timeout=10)) == grpc.StatusCode.PERMISSION_DENIED
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="default"), metadata=bearer(token),
                                                 timeout=10)) == grpc.StatusCode.NOT_FOUND
    token_id = token.split("_")[1]
    sessiongw("token", "revoke", token_id, "--data-dir", gateway.data_dir)
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="lab"), metadata=bearer(token), timeout=10)) \
        == grpc.StatusCode.UNAUTHENTICATED

    # JWTs: a valid one for a member; expired, wrong audience and unsigned ones refused.
    now = int(time.time())
    good = {"sub": "jwt-user", "iss": "https://id.example.com", "aud": "sessiongw", "exp": now + 300}
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="lab"), metadata=bearer(jwt(good)),
                                                 timeout=10)) == grpc.StatusCode.OK
    for bad in (jwt({**good, "exp": now - 3600}), jwt({**good, "aud": "other"}), jwt(good, alg="none"),
                jwt(good, secret="another-secret-of-at-least-32-bytes!!")):
        try:
            sessions.ListSessions(pb.ListSessionsRequest(workspace="lab"), metadata=bearer(bad), timeout=10)
            raise AssertionError("a bad JWT was accepted")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.UNAUTHENTICATED
            assert bad.split(".")[1] not in (error.details() or "")


def test_secret_values_never_leave_the_gateway(gateway, api):
    """A session with an environment variable from a secret: the value reaches the
    session, and no response or log line carries it."""
    secrets = os.path.join(gateway.data_dir, "secrets", "default")
    os.makedirs(secrets, exist_ok=True)
    with open(os.path.join(secrets, "api-token"), "w") as handle:
        handle.write(SECRET_VALUE)
    channel = grpc.insecure_channel(gateway.address)
    metadata = [("authorization", f"Bearer {gateway.token}")]
    stub = api["session_service_grpc"].SessionServiceStub(channel)
    types, pb = api["types"], api["session_service"]
    spec = types.SessionSpec(preset="notebook", image="python3", compute_environment="local",
                             env=[types.EnvVar(name="API_TOKEN", secret_ref="api-token")])
    responses = [stub.CreateSession(pb.CreateSessionRequest(name="with-secret", spec=spec), metadata=metadata, timeout=30)]
    session_id = responses[0].id
    deadline = time.time() + 60
    while time.time() < deadline:
        responses.append(stub.GetSession(pb.GetSessionRequest(session_id=session_id), metadata=metadata, timeout=10))
        if types.SessionState.Name(responses[-1].state) == "SESSION_STATE_RUNNING":
            break
        time.sleep(0.2)
    responses.append(stub.ListSessions(pb.ListSessionsRequest(), metadata=metadata, timeout=10))
    responses.append(stub.ListSessionEvents(pb.ListSessionEventsRequest(session_id=session_id), metadata=metadata, timeout=10))
    stub.DeleteSession(pb.DeleteSessionRequest(session_id=session_id, force=True), metadata=metadata, timeout=30)
    channel.close()
    for response in responses:
        assert SECRET_VALUE.encode() not in response.SerializeToString()
    with open(gateway.log_path, "rb") as handle:
        assert SECRET_VALUE.encode() not in handle.read()


@pytest.mark.mutual_tls
def test_mutual_tls_names_the_caller_by_its_certificate(secured, api):
    gateway, channel, work = secured
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    pb = api["session_service"]
    # No token: the certificate's common name, cert-user, is the caller (role view in lab).
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="lab"), timeout=10)) == grpc.StatusCode.OK
    assert code_of(lambda: sessions.CreateSession(pb.CreateSessionRequest(workspace="lab", name="x"), timeout=10)) \
        == grpc.StatusCode.PERMISSION_DENIED
    assert code_of(lambda: sessions.ListSessions(pb.ListSessionsRequest(workspace="default"), timeout=10)) \
        == grpc.StatusCode.NOT_FOUND
    # Without a client certificate the handshake fails.
    with open(os.path.join(work, "certs", "ca.pem"), "rb") as handle:
        anonymous = grpc.secure_channel(gateway.address, grpc.ssl_channel_credentials(root_certificates=handle.read()),
                                        options=[("grpc.ssl_target_name_override", "localhost")])
    assert code_of(lambda: api["session_service_grpc"].SessionServiceStub(anonymous).ListSessions(
        pb.ListSessionsRequest(workspace="lab"), metadata=[("authorization", f"Bearer {gateway.token}")], timeout=5)) \
        == grpc.StatusCode.UNAVAILABLE
    anonymous.close()
