"""sessiongw-agent as a program, with Python grpcio as its client: the token, a terminal
attached over a bidirectional stream, and the agent's exit status following its IDE
command's."""
import importlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid

import grpc
import pytest

import testkit


@pytest.fixture(scope="module")
def agent_api(tmp_path_factory):
    out = testkit.generate_stubs(tmp_path_factory.mktemp("agent-stubs"), ["sessiongw/agent/v1/agent.proto"])
    sys.path.insert(0, str(out))
    try:
        return (importlib.import_module("sessiongw.agent.v1.agent_pb2"),
                importlib.import_module("sessiongw.agent.v1.agent_pb2_grpc"))
    finally:
        sys.path.remove(str(out))


def start_agent(work, ide_command):
    token = uuid.uuid4().hex
    token_file = work / "agent-token"
    token_file.write_text(token + "\n")
    agent = testkit.LoggedProcess(
        [testkit.BIN_DIR / "sessiongw-agent", "--listen", "127.0.0.1:0", "--token-file", token_file,
         "--state-directory", work / "terminals", "--working-directory", work, "--", *ide_command],
        work / "agent.log", "sessiongw-agent")
    address = agent.wait_for(r"sessiongw-agent listening on (\S+)", timeout=30).group(1)
    return agent, address.removeprefix("h2c://"), token


def test_a_grpcio_client_attaches_to_a_terminal_and_the_agent_ends_with_its_ide(tmp_path, agent_api):
    pb, stubs = agent_api
    agent, address, token = start_agent(tmp_path, [sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        with grpc.insecure_channel(address) as channel:
            agent_stub = stubs.AgentServiceStub(channel)
            with pytest.raises(grpc.RpcError) as refused:
                agent_stub.ListTerminals(pb.ListTerminalsRequest(), timeout=10)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
            auth = [("authorization", f"Bearer {token}")]
            status = agent_stub.GetStatus(pb.GetStatusRequest(), metadata=auth, timeout=10)
            assert status.ide.pid > 0

            created = agent_stub.CreateTerminal(
                pb.CreateTerminalRequest(name="py", command=["/bin/sh"]), metadata=auth, timeout=10).terminal
            assert created.name == "py" and created.running

            requests = queue.Queue()
            requests.put(pb.AttachTerminalRequest(open=pb.AttachTerminalRequest.Open(
                name="py", window_size=pb.WindowSize(rows=20, columns=70))))
            requests.put(pb.AttachTerminalRequest(input=b"stty size; echo py-$((7*6))\r"))
            responses = agent_stub.AttachTerminal(iter(requests.get, None), metadata=auth, timeout=30)
            output = b""
            for response in responses:
                output += response.output
                if b"py-42" in output:
                    break
            requests.put(None)
            responses.cancel()
            assert b"20 70" in output
            listed = agent_stub.ListTerminals(pb.ListTerminalsRequest(), metadata=auth, timeout=10).terminals
            assert [terminal.name for terminal in listed] == ["py"]
    finally:
        agent.process.send_signal(signal.SIGTERM)
        code = agent.stop()
    # The IDE command got SIGTERM and died of it; the agent says so as a shell would.
    assert code == 128 + signal.SIGTERM, agent.log_tail()


def test_the_agent_exits_with_its_ide_commands_status(tmp_path, agent_api):
    agent, _, _ = start_agent(tmp_path, ["/bin/sh", "-c", "sleep 1; exit 5"])
    assert agent.process.wait(timeout=60) == 5, agent.log_tail()
    agent.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to an unprivileged user needs root")
def test_an_unprivileged_agent_serves_over_tcp(tmp_path, agent_api):
    """The agent runs as the session's user, never root: the transport must not set a
    socket option only root may (it once set SO_DEBUG for TCP_NODELAY, and every
    connection to an unprivileged server was closed at once)."""
    pb, stubs = agent_api
    work = tempfile.mkdtemp(prefix="agent-nobody-")
    os.chmod(work, 0o777)
    token = uuid.uuid4().hex
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as handle:
        handle.write(token)
    os.chmod(token_file, 0o644)
    agent = testkit.LoggedProcess(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", testkit.BIN_DIR / "sessiongw-agent",
         "--listen", "127.0.0.1:0", "--token-file", token_file, "--state-directory", os.path.join(work, "terminals"),
         "--working-directory", work],
        tmp_path / "agent.log", "unprivileged sessiongw-agent")
    try:
        address = agent.wait_for(r"sessiongw-agent listening on (\S+)", timeout=30).group(1).removeprefix("h2c://")
        with grpc.insecure_channel(address) as channel:
            listed = stubs.AgentServiceStub(channel).ListTerminals(
                pb.ListTerminalsRequest(), metadata=[("authorization", f"Bearer {token}")], timeout=10)
            assert list(listed.terminals) == []
    finally:
        agent.stop()
        shutil.rmtree(work, ignore_errors=True)


STATIC_AGENT = os.environ.get("SESSIONGW_STATIC_AGENT")


@pytest.mark.skipif(not STATIC_AGENT, reason="scripts/test.sh sets SESSIONGW_STATIC_AGENT after scripts/build-agent.sh")
def test_the_static_agent_installs_itself_and_serves_a_terminal_in_an_empty_image(tmp_path, agent_api):
    """What a Kubernetes pod does with an image that holds nothing but the agent: its init
    container copies the agent into a shared volume, and the session's container (here an
    image with no files at all) runs it from there, with no C library, Swift runtime or
    shell beside it."""
    pb, stubs = agent_api
    image, session_image, shared = (tmp_path / "agent-image", tmp_path / "session-image", tmp_path / "shared")
    for directory in (image, session_image, shared):
        directory.mkdir()
    shutil.copy(STATIC_AGENT, image / "sessiongw-agent")
    subprocess.run(
        ["bwrap", "--bind", image, "/", "--bind", shared, "/sessiongw", "--proc", "/proc", "--dev", "/dev",
         "/sessiongw-agent", "--install-to", "/sessiongw/sessiongw-agent"], check=True, timeout=60)
    assert os.listdir(session_image) == [] and os.access(shared / "sessiongw-agent", os.X_OK)

    token = uuid.uuid4().hex
    (tmp_path / "agent-token").write_text(token + "\n")
    agent = testkit.LoggedProcess(
        ["bwrap", "--bind", session_image, "/", "--ro-bind", shared, "/sessiongw", "--ro-bind", tmp_path / "agent-token",
         "/run/agent-token", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
         "/sessiongw/sessiongw-agent", "--listen", "127.0.0.1:0", "--token-file", "/run/agent-token",
         "--state-directory", "/tmp/terminals", "--working-directory", "/tmp"],
        tmp_path / "agent.log", "static sessiongw-agent")
    try:
        address = agent.wait_for(r"sessiongw-agent listening on (\S+)", timeout=30).group(1).removeprefix("h2c://")
        auth = [("authorization", f"Bearer {token}")]
        with grpc.insecure_channel(address) as channel:
            agent_stub = stubs.AgentServiceStub(channel)
            # The image has no shell: the terminal runs the one program there is.
            agent_stub.CreateTerminal(pb.CreateTerminalRequest(name="bare", command=["/sessiongw/sessiongw-agent", "--help"]),
                                      metadata=auth, timeout=10)
            requests = queue.Queue()
            requests.put(pb.AttachTerminalRequest(open=pb.AttachTerminalRequest.Open(name="bare")))
            output, exited = b"", None
            for response in agent_stub.AttachTerminal(iter(requests.get, None), metadata=auth, timeout=30):
                output += response.output
                if response.HasField("exited"):
                    exited = response.exited
                    break
            requests.put(None)
        assert b"OVERVIEW: Serve a session's terminals" in output, output[-400:]
        assert exited is not None and exited.WhichOneof("exit") == "exit_code" and exited.exit_code == 0, exited
    finally:
        agent.stop()
