"""The example plugin of examples/provider-plugin (the Local backend behind a CPU cap,
served with ProviderPlugin.serve) behind a gateway: an environment with `backend: remote`
runs sessions on it, and the plugin's own rule reaches the caller."""
import os
import shutil
import tempfile
import time

import grpc
import pytest
import testkit

from gateway_procs import BIN_DIR, Gateway, kill_session_processes, write_python_preset_config

SERVER = """
import http.server, os
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


@pytest.fixture
def plugin_gateway():
    work = tempfile.mkdtemp(prefix="sessiongw-example-plugin-")
    socket_path = os.path.join(work, "capped.sock")
    plugin = testkit.LoggedProcess(
        [os.path.join(BIN_DIR, "example-provider-plugin"), "--listen", f"unix:{socket_path}",
         "--data-dir", os.path.join(work, "plugin"), "--max-cpu-millis", "1000"],
        os.path.join(work, "plugin.log"), "example plugin")
    plugin.wait_for("listening on", timeout=30)
    config = os.path.join(work, "config.yaml")
    write_python_preset_config(config, "web", SERVER, f"""
computeEnvironments:
  - {{id: capped, backend: remote, address: "unix:{socket_path}"}}""")
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    yield gateway
    gateway.stop()
    plugin.stop()
    # Sessions outlive their provider by design; a failed test's must not outlive the test.
    sessions = os.path.join(work, "plugin", "local", "sessions")
    kill_session_processes(set(os.listdir(sessions)) if os.path.isdir(sessions) else set())
    shutil.rmtree(work, ignore_errors=True)


def test_sessions_run_on_the_example_plugin_and_its_cap_reaches_the_caller(plugin_gateway, api):
    gateway = plugin_gateway
    stub = api["session_service_grpc"].SessionServiceStub(grpc.insecure_channel(gateway.address))
    metadata = [("authorization", f"Bearer {gateway.token}")]
    types = api["types"]

    def create(name, resources=None):
        spec = types.SessionSpec(preset="web", image="python3", compute_environment="capped", resources=resources,
                                 home_volume=types.HomeVolume(new_size_bytes=64 << 20))
        return stub.CreateSession(api["session_service"].CreateSessionRequest(workspace="default", name=name, spec=spec),
                                  metadata=metadata, timeout=60)

    session = create("small")
    running = types.SessionState.Value("SESSION_STATE_RUNNING")
    deadline = time.time() + 60
    while session.state != running:
        assert time.time() < deadline, f"the session did not start: {session.state_reason}"
        time.sleep(0.5)
        session = stub.GetSession(api["session_service"].GetSessionRequest(workspace="default", session_id=session.id),
                                  metadata=metadata, timeout=10)
    assert session.connection_url

    with pytest.raises(grpc.RpcError) as refused:
        create("large", types.Resources(cpu_millis=2000, memory_bytes=256 << 20))
    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, refused.value.details()
    assert "allows at most 1000" in refused.value.details()

    stub.DeleteSession(api["session_service"].DeleteSessionRequest(workspace="default", session_id=session.id, force=True),
                       metadata=metadata, timeout=60)
