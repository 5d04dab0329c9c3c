"""The README's Python example drives a whole session lifecycle against a real gateway."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_python_example_drives_the_lifecycle(gateway):
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "python_client.py"), "--address", gateway.address,
         "--token", gateway.token],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{gateway.tail()}"
    for step in ("RUNNING:", "paused", "resumed", "renamed", "cloned into", "deleted both sessions"):
        assert step in result.stdout, result.stdout


def test_calls_without_the_token_are_refused_but_health_is_open(gateway, api):
    import grpc
    channel = grpc.insecure_channel(gateway.address)
    stub = api["session_service_grpc"].SessionServiceStub(channel)
    request = api["session_service"].ListSessionsRequest(workspace="default")
    for metadata in ([], [("authorization", "Bearer not-the-token")]):
        try:
            stub.ListSessions(request, metadata=metadata, timeout=10)
            raise AssertionError("the call succeeded without a valid token")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.UNAUTHENTICATED
            assert "not-the-token" not in (error.details() or "")
    health = channel.unary_unary("/grpc.health.v1.Health/Check")
    assert health(b"", timeout=10) == b"\x08\x01"
