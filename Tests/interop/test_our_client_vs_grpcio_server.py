"""Our rpc-interop-client against the Python grpcio reference server (interop_server.py)."""

import subprocess

import pytest

from interop_cases import CASES, CLIENT_DETERMINED, STATUS_ONLY
from interop_procs import binary, describe, free_port

TLS_CASES = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
             "custom_metadata"]
CLIENT_TIMEOUT = 60


def run_client(port: int, case: str, *extra: str) -> subprocess.CompletedProcess:
    command = [str(binary("rpc-interop-client")), "--server-host", "127.0.0.1",
               "--server-port", str(port), "--test-case", case, *extra]
    try:
        return subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=CLIENT_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"{' '.join(command)} did not finish in {CLIENT_TIMEOUT}s\n"
                    f"stdout: {expired.stdout}\nstderr: {expired.stderr}")


@pytest.fixture(scope="module")
def tls_reference_server(module_servers):
    return module_servers.launch(implementation="python", tls=True)


@pytest.mark.parametrize("case", CASES)
def test_interop_case(case, reference_server):
    result = run_client(reference_server.port, case)
    assert result.returncode == 0, describe(result)
    reference_server.assert_alive()


@pytest.mark.parametrize("case", TLS_CASES)
def test_interop_case_over_tls(case, tls_reference_server, tls):
    result = run_client(tls_reference_server.port, case, "--use-tls", "--ca-file", str(tls.ca_cert),
                        "--server-host-override", tls.server_name)
    assert result.returncode == 0, describe(result)


@pytest.mark.parametrize("case", sorted(set(CASES) - CLIENT_DETERMINED - STATUS_ONLY))
def test_interop_case_fails_against_a_faulty_server(case, faulty_server):
    """The client checks what the server sends: a wrong answer makes the case fail."""
    result = run_client(faulty_server.port, case)
    assert result.returncode > 0, f"expected a failure exit status\n{describe(result)}"
    assert (result.stdout + result.stderr).strip(), "the client failed without saying why"


def test_tls_client_refuses_a_server_it_does_not_trust(tls_reference_server, tmp_path):
    from interop_procs import make_tls_material

    stranger = make_tls_material(tmp_path / "other-ca")
    result = run_client(tls_reference_server.port, "empty_unary", "--use-tls",
                        "--ca-file", str(stranger.ca_cert), "--server-host-override", "localhost")
    assert result.returncode > 0, describe(result)


def test_unknown_test_case_is_an_error(reference_server):
    result = run_client(reference_server.port, "no_such_case")
    assert result.returncode > 0, describe(result)


def test_unreachable_server_is_an_error():
    result = run_client(free_port(), "empty_unary")
    assert result.returncode > 0, describe(result)
