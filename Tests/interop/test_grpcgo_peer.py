"""grpc-go, a gRPC implementation that shares no code with gRPC C-core, against ours.

- The Go interop client (go/interop-client, grpc-go defaults, so BDP pings on) runs the
  14 interop cases and ours against `rpc-interop-server`: `large_response_busy` (4 MiB
  responses while a stream is open), `health`, `reflection_v1alpha`, `reflection_v1`.
  It fails a case on any GOAWAY or reconnect, even when every call succeeded.
- Our `rpc-interop-client` runs the 14 cases against the Go interop server.

Self-checks: the Go client passes against the Python reference server and fails against
its faulty mode and on an injected GOAWAY; the Go server passes the grpcio cases.

The Go programs are built once per session (go_peer.py); without Go the tests fail and
say what to install.
"""

import subprocess

import grpc
import pytest

import go_peer
from interop_cases import CASES, CLIENT_DETERMINED
from interop_procs import ServerProcess, binary, describe, describe_exit

OUR_CASES = ["large_response_busy", "health", "reflection_v1alpha", "reflection_v1"]
GO_CLIENT_CASES = [*CASES, *OUR_CASES]
CLIENT_TIMEOUT = 60


@pytest.fixture(scope="session")
def go_peers() -> go_peer.GoPeers:
    try:
        return go_peer.build()
    except go_peer.GoUnavailable as error:
        problem = str(error)
    pytest.fail(problem, pytrace=False)


def run(command: list, timeout: float = CLIENT_TIMEOUT) -> subprocess.CompletedProcess:
    command = [str(part) for part in command]
    try:
        return subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"{' '.join(command)} did not finish in {timeout}s\n"
                    f"stdout: {expired.stdout}\nstderr: {expired.stderr}")


def go_client(peers: go_peer.GoPeers, port: int, case: str) -> subprocess.CompletedProcess:
    return run([peers.client, "--server-host", "127.0.0.1", "--server-port", port, "--test-case", case])


def assert_passed(result: subprocess.CompletedProcess, case: str) -> None:
    assert result.returncode == 0, describe(result)
    assert f"PASS {case} (1 connection, no GOAWAY;" in result.stdout, describe(result)


def assert_failed(result: subprocess.CompletedProcess, case: str) -> None:
    assert result.returncode == 1, f"expected exit status 1\n{describe(result)}"
    assert f"FAIL {case}: " in result.stdout, describe(result)


@pytest.fixture(scope="module")
def go_server(go_peers, tmp_path_factory):
    log = tmp_path_factory.mktemp("go-server") / "server.log"
    server = ServerProcess([str(go_peers.server), "--port", "0"], log, "grpc-go interop server")
    try:
        server.wait_listening()
        yield server
    finally:
        crashed = not server.alive()
        code = server.stop()
        if crashed or code != 0:
            pytest.fail(f"{server.name} {'crashed' if crashed else 'did not exit cleanly on SIGTERM'}: "
                        f"exit status {describe_exit(code)}\n{server.log_tail()}", pytrace=False)


# --- the Go client against our server ------------------------------------------------

def _case_params(cases):
    return [pytest.param(case, marks=pytest.mark.beyond_grpcio(
                "the Python reference server serves reflection v1 only"))
            if case == "reflection_v1alpha" else case
            for case in cases]


@pytest.mark.parametrize("case", _case_params(GO_CLIENT_CASES))
def test_go_client_against_our_server(case, go_peers, server):
    """Every case passes on one connection that sees no GOAWAY."""
    assert_passed(go_client(go_peers, server.port, case), case)


# --- our client against the Go server ------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_our_client_against_go_server(case, go_server):
    result = run([binary("rpc-interop-client"), "--server-host", "127.0.0.1",
                  "--server-port", go_server.port, "--test-case", case])
    assert result.returncode == 0, describe(result)
    go_server.assert_alive()


# --- self-checks: the Go client ------------------------------------------------------

@pytest.mark.parametrize("case", [*CASES, "large_response_busy", "health", "reflection_v1"])
def test_go_client_against_reference_server(case, go_peers, reference_server):
    assert_passed(go_client(go_peers, reference_server.port, case), case)


@pytest.mark.parametrize("case", [*sorted(set(CASES) - CLIENT_DETERMINED), "large_response_busy"])
def test_go_client_fails_against_faulty_server(case, go_peers, faulty_server):
    assert_failed(go_client(go_peers, faulty_server.port, case), case)


def test_go_client_fails_when_reflection_v1alpha_is_missing(go_peers, reference_server):
    result = go_client(go_peers, reference_server.port, "reflection_v1alpha")
    assert_failed(result, "reflection_v1alpha")
    assert "code = Unimplemented" in result.stdout, describe(result)


@pytest.mark.parametrize("case", ["large_response_busy", "health", "reflection_v1alpha"])
def test_go_client_against_go_server(case, go_peers, go_server):
    """grpc-go's own server passes the cases of ours that it implements (no reflection v1)."""
    assert_passed(go_client(go_peers, go_server.port, case), case)


@pytest.mark.parametrize("case", ["empty_unary", "large_response_busy"])
def test_go_client_fails_on_a_goaway(case, go_peers, reference_server):
    """A GOAWAY ENHANCE_YOUR_CALM fails the case although every call succeeds."""
    result = go_client_behind_goaway(go_peers, reference_server, case)
    assert f"FAIL {case}: all calls succeeded, but the server sent GOAWAY" in result.stdout, describe(result)


def test_go_client_fails_on_a_goaway_and_close(go_peers, reference_server):
    """A GOAWAY in the middle of the first 4 MiB response, then the connection closes (as
    a server closes after too many pings): the failed call and the GOAWAY are reported."""
    result = go_client_behind_goaway(go_peers, reference_server, "large_response_busy",
                                     then_close=True, after_data_frames=10)
    assert "UnaryCall 1 of 5 (response of 4194240 bytes) while a FullDuplexCall is open: " \
        "rpc error: code = Unavailable" in result.stdout, describe(result)


def go_client_behind_goaway(peers, server, case, **injection) -> subprocess.CompletedProcess:
    proxy = go_peer.GoAwayInjector(server.port, **injection)
    try:
        result = go_client(peers, proxy.port, case)
    finally:
        proxy.close()
    assert proxy.injected.is_set(), "the proxy sent no GOAWAY: too few DATA frames"
    assert_failed(result, case)
    assert 'GOAWAY ENHANCE_YOUR_CALM (last stream ' in result.stdout, describe(result)
    assert 'debug data "too_many_pings")' in result.stdout, describe(result)
    return result


def test_go_client_rejects_an_unknown_case(go_peers, reference_server):
    result = go_client(go_peers, reference_server.port, "no_such_case")
    assert result.returncode == 2, describe(result)


# --- self-checks: the Go server ------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_go_server_passes_the_grpcio_cases(case, pb, go_server):
    """The grpcio cases pass against the Go server, so our client's passes mean something."""
    with grpc.insecure_channel(go_server.target) as channel:
        CASES[case](pb, channel)
