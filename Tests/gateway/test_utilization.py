"""A session's utilization through a real gateway on the Local backend: the session agent
samples inside the session's sandbox and the gateway collects the samples; a CPU-bound
loop in one of the session's terminals shows as a busy CPU in the latest sample and in
the history, and stops showing once the terminal is deleted. This machine has no GPU:
the session reports none, not zero."""
import time

import grpc

from gateway_procs import Gateway, write_python_preset_config

SERVE = """
import http.server, os
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def test_a_busy_terminal_shows_in_the_samples_and_there_is_no_gpu(tmp_path, api):
    config = tmp_path / "config.yaml"
    write_python_preset_config(config, "py", SERVE, settings="utilizationInterval: 1s\n")
    gateway = Gateway(config=str(config)).start()
    metadata = [("authorization", f"Bearer {gateway.token}")]
    channel = grpc.insecure_channel(gateway.address)
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    terminals = api["terminal_service_grpc"].TerminalServiceStub(channel)
    types, pb, tpb = api["types"], api["session_service"], api["terminal_service"]
    # The agent samples every second in this session (15 s by default).
    spec = types.SessionSpec(preset="py", image="python3", compute_environment="local",
                             env=[types.EnvVar(name="SESSIONGW_SAMPLE_INTERVAL", value="1")])
    session_id = sessions.CreateSession(pb.CreateSessionRequest(name="busy", spec=spec), metadata=metadata, timeout=60).id

    def latest():
        return sessions.GetSession(pb.GetSessionRequest(session_id=session_id), metadata=metadata, timeout=30)

    def wait_for(condition, what, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            session = latest()
            if session.HasField("utilization") and condition(session.utilization):
                return session.utilization
            time.sleep(0.5)
        raise AssertionError(f"{what} within {timeout} s; last sample: {latest().utilization}")

    try:
        wait_for(lambda sample: True, "a first sample")
        sample = latest().utilization
        assert len(sample.gpus) == 0, "no GPU here: the session reports none"
        assert sample.memory_used_bytes > 0 and sample.memory_limit_bytes >= sample.memory_used_bytes
        assert sample.disk_total_bytes > 0

        terminals.CreateTerminal(tpb.CreateTerminalRequest(session_id=session_id, name="spin", command=[
            "/bin/sh", "-c", "while :; do :; done"]), metadata=metadata, timeout=30)
        busy = wait_for(lambda sample: sample.cpu_cores > 0.4, "a spinning terminal shows as a busy CPU")
        terminals.DeleteTerminal(tpb.DeleteTerminalRequest(session_id=session_id, name="spin"), metadata=metadata,
                                 timeout=30)
        wait_for(lambda sample: sample.cpu_cores < 0.3 and sample.time.ToNanoseconds() > busy.time.ToNanoseconds(),
                 "the CPU goes quiet once the terminal is deleted")

        history = sessions.GetSessionUtilization(pb.GetSessionUtilizationRequest(session_id=session_id),
                                                 metadata=metadata, timeout=30).samples
        times = [sample.time.ToNanoseconds() for sample in history]
        assert times == sorted(times) and len(set(times)) == len(times), "oldest first, one per sample"
        assert any(sample.cpu_cores > 0.4 for sample in history) and history[-1].cpu_cores < 0.3
        since = sessions.GetSessionUtilization(pb.GetSessionUtilizationRequest(
            session_id=session_id, since_time=busy.time), metadata=metadata, timeout=30).samples
        assert since and all(sample.time.ToNanoseconds() > busy.time.ToNanoseconds() for sample in since)
    finally:
        try:
            sessions.DeleteSession(pb.DeleteSessionRequest(session_id=session_id, force=True), metadata=metadata,
                                   timeout=60)
        except grpc.RpcError:
            pass
        gateway.stop()
        gateway.kill_session_processes()
