"""Idle sessions through a real gateway on the Local backend, with the thresholds
shortened: a session whose terminal spins a CPU-bound loop is not idle; once the loop
stops it becomes idle after the threshold with its signals named; typing into a
terminal and a user connected through the proxy each reset idleness and are named as
what kept the session busy; a session under a culling policy is paused after its quiet
time, with a final checkpoint and an activity log entry naming the quiet signals."""
import http.client
import os
import queue
import textwrap
import time

import grpc

from gateway_procs import Gateway, free_port

SERVE = """
import http.server, os
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""
# Quiet this long is idle; the culled preset is paused after CULL_AFTER quiet.
IDLE_AFTER = 8
CULL_AFTER = 12


def preset(name, idle=""):
    body = textwrap.indent(SERVE.strip("\n"), " " * 10)
    return f"""
  - id: {name}
    images: [{{name: python3, reference: python3}}]
    podSizes: [{{name: small, cpu: 0.5, memory: 1GiB}}]
    {idle}
    command:
      - python3
      - -c
      - |
{body}
"""


def test_idle_detection_resets_and_culling(tmp_path, api):
    config = tmp_path / "config.yaml"
    config.write_text(f"""
utilizationInterval: 1s
connect:
  listen: 127.0.0.1:{free_port()}
  presenceWindow: 2s
idle:
  after: {IDLE_AFTER}s
presets:{preset("py")}{preset("py-culled", idle=f"idle: {{cullAfter: {CULL_AFTER}s}}")}
""")
    gateway = Gateway(config=str(config)).start()
    metadata = [("authorization", f"Bearer {gateway.token}")]
    channel = grpc.insecure_channel(gateway.address)
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    terminals = api["terminal_service_grpc"].TerminalServiceStub(channel)
    checkpoints = api["checkpoint_service_grpc"].CheckpointServiceStub(channel)
    types, pb, tpb, cpb = api["types"], api["session_service"], api["terminal_service"], api["checkpoint_service"]

    def create(name, preset_id):
        # The agent samples every second in these sessions (15 s by default).
        spec = types.SessionSpec(preset=preset_id, image="python3", compute_environment="local",
                                 env=[types.EnvVar(name="SESSIONGW_SAMPLE_INTERVAL", value="1")])
        return sessions.CreateSession(pb.CreateSessionRequest(name=name, spec=spec), metadata=metadata, timeout=60).id

    def get(session_id):
        return sessions.GetSession(pb.GetSessionRequest(session_id=session_id), metadata=metadata, timeout=30)

    def wait_for(session_id, condition, what, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            session = get(session_id)
            if condition(session):
                return session
            time.sleep(0.5)
        session = get(session_id)
        raise AssertionError(f"{what} within {timeout} s; state {types.SessionState.Name(session.state)}, "
                             f"idle: {session.idle}")

    def idle(session):
        return session.HasField("idle") and session.idle.idle

    def busy_with(signal):
        return lambda session: session.HasField("idle") and not session.idle.idle \
            and session.idle.last_active_signal == signal

    requests = queue.Queue()
    quiet = create("quiet", "py")
    culled = create("culled", "py-culled")
    try:
        wait_for(quiet, lambda session: session.HasField("idle"), "the gateway looks at the running session")
        # A shell to type into later, attached now: by the time it is typed into, the
        # attachment is long past.
        terminals.CreateTerminal(tpb.CreateTerminalRequest(session_id=quiet, name="shell", command=["/bin/sh"]),
                                 metadata=metadata, timeout=30)
        requests.put(tpb.AttachTerminalRequest(open=tpb.AttachTerminalRequest.Open(session_id=quiet, name="shell")))
        output = terminals.AttachTerminal(iter(requests.get, None), metadata=metadata, timeout=300)

        # A CPU-bound loop keeps it busy well past the threshold.
        terminals.CreateTerminal(tpb.CreateTerminalRequest(session_id=quiet, name="spin", command=[
            "/bin/sh", "-c", "while :; do :; done"]), metadata=metadata, timeout=30)
        wait_for(quiet, busy_with("cpu"), "the spinning loop shows as CPU activity")
        spin_until = time.time() + IDLE_AFTER + 4
        while time.time() < spin_until:
            session = get(quiet)
            assert not session.idle.idle, f"a session spinning a CPU is not idle: {session.idle}"
            time.sleep(1)
        assert get(quiet).idle.last_active_signal == "cpu"

        # Once it stops, the session becomes idle after the threshold, every signal named.
        terminals.DeleteTerminal(tpb.DeleteTerminalRequest(session_id=quiet, name="spin"), metadata=metadata, timeout=30)
        stopped = time.time()
        became_idle = wait_for(quiet, idle, "the session becomes idle once the loop stops").idle
        assert time.time() - stopped >= IDLE_AFTER - 2, "idle only after the threshold"
        assert {signal.name for signal in became_idle.signals} == {"cpu", "connections", "ide", "terminal"}
        assert became_idle.last_active_signal in {"cpu", "terminal"}
        assert became_idle.idle_time.ToSeconds() == became_idle.quiet_since.ToSeconds() + IDLE_AFTER
        assert not became_idle.HasField("cull_time"), "the py preset is never culled"
        listed = sessions.ListSessions(pb.ListSessionsRequest(), metadata=metadata, timeout=30).sessions
        assert [session.idle.idle for session in listed if session.id == quiet] == [True], "ListSessions carries it too"

        # Typing into the terminal resets idleness.
        requests.put(tpb.AttachTerminalRequest(input=b"echo typed\r"))
        wait_for(quiet, busy_with("terminal"), "terminal input resets idleness", timeout=30)
        wait_for(quiet, idle, "idle again after the threshold")

        # A user connected through the proxy resets idleness.
        host, port = gateway.proxy_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=15)
        connection.request("GET", f"/sessions/default/{quiet}/", headers={"Authorization": f"Bearer {gateway.token}"})
        assert connection.getresponse().status == 200
        connection.close()
        wait_for(quiet, busy_with("connections"), "a connected user resets idleness", timeout=30)

        # The culled session: paused after its quiet time, a checkpoint first, and the
        # activity log says which signals were quiet and since when.
        paused = wait_for(culled, lambda session: session.state == types.SessionState.Value("SESSION_STATE_PAUSED"),
                          "the culling policy pauses the quiet session", timeout=90)
        assert not paused.HasField("idle"), "a paused session has no idle status"
        events = sessions.ListSessionEvents(pb.ListSessionEventsRequest(session_id=culled, page_size=100),
                                            metadata=metadata, timeout=30).events
        culling = [event for event in events if event.message.startswith("paused after")]
        assert len(culling) == 1, [event.message for event in events]
        assert culling[0].type == types.SessionEventType.Value("SESSION_EVENT_TYPE_WARNING")
        for signal in ("cpu", "connections", "ide", "terminal"):
            assert f"{signal} quiet since " in culling[0].message, culling[0].message
        assert f"(the culling policy allows {CULL_AFTER}s)" in culling[0].message
        later = [event for event in events if event.time.ToNanoseconds() > culling[0].time.ToNanoseconds()]
        assert any(types.SessionState.Name(event.to_state) == "SESSION_STATE_PAUSED" for event in later)
        taken = checkpoints.ListCheckpoints(cpb.ListCheckpointsRequest(session_id=culled), metadata=metadata,
                                            timeout=30).checkpoints
        assert any(types.CheckpointTrigger.Name(checkpoint.trigger) == "CHECKPOINT_TRIGGER_PAUSE" for checkpoint in taken)
        assert types.SessionState.Name(get(quiet).state) == "SESSION_STATE_RUNNING", "the py preset is never culled"
    finally:
        requests.put(None)
        for session_id in (quiet, culled):
            try:
                sessions.DeleteSession(pb.DeleteSessionRequest(session_id=session_id, force=True), metadata=metadata,
                                       timeout=60)
            except grpc.RpcError:
                pass
        gateway.stop()
        gateway.kill_session_processes()
