"""The session panel (ActivityService) against a real Jupyter server as a session's IDE
on the Local backend: the kernels started through the Jupyter Server REST API and the
session's own terminals are listed; with seven active the answer carries the warning;
shutting a kernel down from the panel ends it in the Jupyter server too. The Jupyter
server's kernel activity is the session's `ide` idle signal."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import grpc
import pytest

from gateway_procs import BIN_DIR, Gateway

JUPYTER = "/opt/sessiongw/jupyterlab/bin/jupyter"
# A Jupyter server on the session's port, with the session's token as its own.
CONFIG = f"""
connect:
  enabled: false
utilizationInterval: 1s
presets:
  - id: jupyter
    images: [{{name: python3, reference: python3}}]
    podSizes: [{{name: small, cpu: 1, memory: 2GiB}}]
    command:
      - sh
      - -c
      - exec {JUPYTER} server --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port="$SESSION_PORT"
        --IdentityProvider.token="$SESSION_TOKEN" --ServerApp.root_dir=/workspace
"""


@pytest.fixture(scope="module")
def panel(api):
    if not os.access(JUPYTER, os.X_OK):
        pytest.fail(f"{JUPYTER} is missing: scripts/install-deps.sh jupyter installs it")
    work = tempfile.mkdtemp(prefix="sessiongw-panel-")
    config = os.path.join(work, "config.yaml")
    with open(config, "w") as handle:
        handle.write(CONFIG)
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    channel = grpc.insecure_channel(gateway.address)
    admin = [("authorization", f"Bearer {gateway.token}")]
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    created = sessions.CreateSession(api["session_service"].CreateSessionRequest(
        name="panel", spec=api["types"].SessionSpec(
            preset="jupyter", image="python3", compute_environment="local",
            env=[api["types"].EnvVar(name="SESSIONGW_SAMPLE_INTERVAL", value="1")])),
        metadata=admin, timeout=30)
    deadline = time.monotonic() + 120
    while True:
        session = sessions.GetSession(api["session_service"].GetSessionRequest(session_id=created.id), metadata=admin,
                                      timeout=30)
        if session.state == api["types"].SESSION_STATE_RUNNING:
            break
        assert session.state != api["types"].SESSION_STATE_FAILED, session.state_reason
        assert time.monotonic() < deadline, f"the Jupyter session did not start: {session.state_reason}"
        time.sleep(0.3)
    connection = sessions.GetSessionConnection(
        api["session_service"].GetSessionConnectionRequest(session_id=created.id), metadata=admin, timeout=30)
    yield {"id": created.id, "gateway": gateway, "channel": channel, "admin": admin, "url": connection.url.split("/?")[0],
           "token": connection.access_token}
    channel.close()
    gateway.stop()
    gateway.kill_session_processes()
    shutil.rmtree(work, ignore_errors=True)


def jupyter(panel, method, path, body=None):
    request = urllib.request.Request(f"{panel['url']}/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {panel['token']}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def test_the_panel_lists_kernels_and_terminals_warns_and_shuts_down(api, panel):
    activities = api["activity_service_grpc"].ActivityServiceStub(panel["channel"])
    pb = api["activity_service"]
    terminals = api["terminal_service_grpc"].TerminalServiceStub(panel["channel"])
    admin, session = panel["admin"], panel["id"]

    def listed():
        return activities.ListSessionActivities(pb.ListSessionActivitiesRequest(session_id=session), metadata=admin,
                                                timeout=30)

    assert list(listed().activities) == [] and listed().warning == ""
    # A notebook's kernel, as JupyterLab starts one (a session of the Jupyter server).
    notebook = jupyter(panel, "POST", "api/sessions", {"path": "analysis.ipynb", "type": "notebook",
                                                      "kernel": {"name": "python3"}})
    kernel_id = notebook["kernel"]["id"]
    answer = listed()
    kernels = [a for a in answer.activities if a.kind == pb.ACTIVITY_KIND_NOTEBOOK_KERNEL]
    assert [(k.id, k.name) for k in kernels] == [(kernel_id, "analysis.ipynb")]
    assert kernels[0].state and kernels[0].HasField("last_activity_time")
    assert answer.warning == ""

    # Seven activities: three more kernels, two of our terminals, one Jupyter terminal.
    for _ in range(3):
        jupyter(panel, "POST", "api/kernels", {"name": "python3"})
    for name in ("one", "two"):
        terminals.CreateTerminal(api["terminal_service"].CreateTerminalRequest(session_id=session, name=name),
                                 metadata=admin, timeout=30)
    jupyter_terminal = jupyter(panel, "POST", "api/terminals")["name"]
    answer = listed()
    kinds = sorted(pb.ActivityKind.Name(a.kind) for a in answer.activities)
    assert kinds == ["ACTIVITY_KIND_JUPYTER_TERMINAL"] + ["ACTIVITY_KIND_NOTEBOOK_KERNEL"] * 4 + \
        ["ACTIVITY_KIND_TERMINAL"] * 2, kinds
    assert "7 activities are active" in answer.warning

    # Shutting the notebook's kernel down from the panel ends it in the Jupyter server.
    activities.ShutdownActivity(pb.ShutdownActivityRequest(
        session_id=session, kind=pb.ACTIVITY_KIND_NOTEBOOK_KERNEL, id=kernel_id), metadata=admin, timeout=30)
    assert kernel_id not in [k["id"] for k in jupyter(panel, "GET", "api/kernels")]
    activities.ShutdownActivity(pb.ShutdownActivityRequest(
        session_id=session, kind=pb.ACTIVITY_KIND_JUPYTER_TERMINAL, id=jupyter_terminal), metadata=admin, timeout=30)
    assert jupyter_terminal not in [t["name"] for t in jupyter(panel, "GET", "api/terminals")]
    activities.ShutdownActivity(pb.ShutdownActivityRequest(
        session_id=session, kind=pb.ACTIVITY_KIND_TERMINAL, id="one"), metadata=admin, timeout=30)
    answer = listed()
    assert len(answer.activities) == 4 and answer.warning == ""
    # The same panel from the command line.
    environment = dict(os.environ, SESSIONGW_ADDRESS=panel["gateway"].address, SESSIONGW_TOKEN=panel["gateway"].token)
    printed = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), "activity", "list", session, "--output", "json"],
                             env=environment, capture_output=True, text=True, timeout=60, check=True).stdout
    assert sorted(a["kind"] for a in json.loads(printed)["activities"]) == \
        ["ACTIVITY_KIND_NOTEBOOK_KERNEL"] * 3 + ["ACTIVITY_KIND_TERMINAL"]

    with pytest.raises(grpc.RpcError) as unknown:
        activities.ShutdownActivity(pb.ShutdownActivityRequest(
            session_id=session, kind=pb.ACTIVITY_KIND_NOTEBOOK_KERNEL, id=kernel_id), metadata=admin, timeout=30)
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as unspecified:
        activities.ShutdownActivity(pb.ShutdownActivityRequest(session_id=session, id="x"), metadata=admin, timeout=30)
    assert unspecified.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_kernel_activity_is_the_ide_idle_signal(api, panel):
    sessions = api["session_service_grpc"].SessionServiceStub(panel["channel"])

    def ide_mark():
        session = sessions.GetSession(api["session_service"].GetSessionRequest(session_id=panel["id"]),
                                      metadata=panel["admin"], timeout=30)
        marks = {signal.name: signal.last_active_time.ToNanoseconds() / 1e9 for signal in session.idle.signals}
        return marks.get("ide")

    deadline = time.monotonic() + 60
    while ide_mark() is None:
        assert time.monotonic() < deadline, "the session has no ide signal"
        time.sleep(0.5)
    before = ide_mark()
    time.sleep(1.5)
    started = time.time()
    jupyter(panel, "POST", "api/kernels", {"name": "python3"})
    deadline = time.monotonic() + 60
    while ide_mark() < started - 1:
        assert time.monotonic() < deadline, f"a new kernel's activity did not reach the ide signal ({before} -> {ide_mark()})"
        time.sleep(0.5)
