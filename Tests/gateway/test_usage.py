"""What sessions cost, through a real gateway with prices: a session's accumulated spend
equals its rates times the time it held compute and storage (read independently from its
activity log), across pause, resume and a SIGKILL of the gateway; after deletion the usage
report still has it, and its totals are the sums of its lines."""
import os
import time

import grpc

from gateway_procs import Gateway, write_python_preset_config

# Large prices, so that one second is a visible amount: 36 USD per hour of compute is
# 0.01 USD a second; 730 USD per GiB-month is 1 USD per hour for a 1 GiB home.
COMPUTE_PER_HOUR = 36.0
STORAGE_PER_HOUR = 1.0
HOME_BYTES = 1 << 30
PRICED = f"""
computeEnvironments:
  - id: local
    backend: local
    pricing: {{currency: USD, podSizes: {{small: {COMPUTE_PER_HOUR}}}, storageGiBMonth: 730}}
"""
SERVE = """
import http.server, os
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""
HOLDS_COMPUTE = {"SESSION_STATE_STARTING", "SESSION_STATE_RUNNING", "SESSION_STATE_PAUSING"}


class Client:
    def __init__(self, gateway, api):
        self.api, self.gateway = api, gateway
        self.metadata = [("authorization", f"Bearer {gateway.token}")]
        self.connect()

    def connect(self):
        channel = grpc.insecure_channel(self.gateway.address)
        self.sessions = self.api["session_service_grpc"].SessionServiceStub(channel)
        self.usage = self.api["usage_service_grpc"].UsageServiceStub(channel)

    def call(self, method, request):
        return method(request, metadata=self.metadata, timeout=60, wait_for_ready=True)

    def get(self, session_id):
        return self.call(self.sessions.GetSession, self.api["session_service"].GetSessionRequest(session_id=session_id))

    def wait(self, session_id, state, timeout=90):
        wanted = self.api["types"].SessionState.Value(f"SESSION_STATE_{state}")
        deadline = time.time() + timeout
        while time.time() < deadline:
            session = self.get(session_id)
            if session.state == wanted:
                return session
            time.sleep(0.2)
        raise AssertionError(f"session {session_id} is {session.state}, not {state}, after {timeout} s")

    def compute_held_seconds(self, session_id, now):
        """The time the session held compute, from its activity log's state changes."""
        events = self.call(self.sessions.ListSessionEvents, self.api["session_service"].ListSessionEventsRequest(
            session_id=session_id, page_size=1000)).events
        state_names = self.api["types"].SessionState.Name
        held, since = 0.0, None
        for event in sorted(events, key=lambda e: e.time.ToNanoseconds()):
            if self.api["types"].SessionEventType.Name(event.type) != "SESSION_EVENT_TYPE_STATE_CHANGED":
                continue
            at = event.time.ToNanoseconds() / 1e9
            if state_names(event.to_state) in HOLDS_COMPUTE and since is None:
                since = at
            elif state_names(event.to_state) not in HOLDS_COMPUTE and since is not None:
                held, since = held + at - since, None
        return held + (now - since if since is not None else 0.0), since is not None


def test_spend_follows_held_time_across_pause_resume_and_a_gateway_kill(tmp_path, api):
    config = tmp_path / "priced.yaml"
    write_python_preset_config(config, "py", SERVE, settings=PRICED)
    gateway = Gateway(config=str(config)).start()
    client = Client(gateway, api)
    types, sessions = api["types"], api["session_service"]
    spec = types.SessionSpec(preset="py", image="python3", pod_size="small", compute_environment="local",
                             home_volume=types.HomeVolume(new_size_bytes=HOME_BYTES))
    ids = []
    try:
        for name in ("metered", "other"):
            ids.append(client.call(client.sessions.CreateSession, sessions.CreateSessionRequest(name=name, spec=spec)).id)
        metered, other = ids
        for session_id in ids:
            client.wait(session_id, "RUNNING")
        running = client.get(metered)
        assert running.cost.currency == "USD"
        assert abs(running.cost.hourly_rate - (COMPUTE_PER_HOUR + STORAGE_PER_HOUR)) < 1e-9, running.cost
        assert abs(running.cost.running_hourly_rate - (COMPUTE_PER_HOUR + STORAGE_PER_HOUR)) < 1e-9

        client.call(client.sessions.PauseSession, sessions.PauseSessionRequest(session_id=metered))
        paused = client.wait(metered, "PAUSED")
        assert abs(paused.cost.hourly_rate - STORAGE_PER_HOUR) < 1e-9, "a paused session is billed for storage only"
        time.sleep(1)
        client.call(client.sessions.ResumeSession, sessions.ResumeSessionRequest(session_id=metered))
        client.wait(metered, "RUNNING")
        time.sleep(1)

        # SIGKILL: the session keeps running (and billing) while no gateway runs.
        gateway.kill()
        time.sleep(2)
        restarted = Gateway(data_dir=gateway.data_dir, config=str(config))
        restarted.port = gateway.port
        gateway = restarted.start()
        client.connect()
        client.wait(metered, "RUNNING")

        before = time.time()
        session = client.get(metered)
        after = time.time()
        created = session.create_time.ToNanoseconds() / 1e9
        held, holding = client.compute_held_seconds(metered, after)
        assert holding, "the session holds compute while RUNNING"
        expected_low = COMPUTE_PER_HOUR * (held - (after - before)) / 3600 + STORAGE_PER_HOUR * (before - created) / 3600
        expected_high = COMPUTE_PER_HOUR * held / 3600 + STORAGE_PER_HOUR * (after - created) / 3600
        one_second = (COMPUTE_PER_HOUR + STORAGE_PER_HOUR) / 3600
        assert expected_low - one_second <= session.cost.accumulated <= expected_high + one_second, (
            session.cost.accumulated, expected_low, expected_high)
        assert abs(session.cost.compute_held.ToNanoseconds() / 1e9 - held) < 1 + (after - before)

        # Paused, then deleted: its spend is final and the report keeps it.
        client.call(client.sessions.PauseSession, sessions.PauseSessionRequest(session_id=metered))
        client.wait(metered, "PAUSED")
        held, _ = client.compute_held_seconds(metered, time.time())
        deleting = time.time()
        client.call(client.sessions.DeleteSession, sessions.DeleteSessionRequest(session_id=metered))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                client.get(metered)
                time.sleep(0.2)
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.NOT_FOUND
                break
        deleted = time.time()
        report = client.call(client.usage.GetUsageReport, api["usage_service"].GetUsageReportRequest())
        lines = {line.session_id: line for line in report.sessions}
        assert set(lines) == set(ids), "the deleted session is in the report, beside the running one"
        line = lines[metered]
        assert line.currency == "USD" and line.session_name == "metered"
        assert abs(line.compute_spend - COMPUTE_PER_HOUR * held / 3600) <= one_second, (line.compute_spend, held)
        low, high = STORAGE_PER_HOUR * (deleting - created) / 3600, STORAGE_PER_HOUR * (deleted - created) / 3600
        assert low - one_second <= line.storage_spend <= high + one_second, (line.storage_spend, low, high)

        # The totals are the sums of the lines (one owner, one currency here).
        assert [total.currency for total in report.totals] == ["USD"]
        for field in ("compute_spend", "storage_spend", "total"):
            summed = sum(getattr(line, field) for line in report.sessions)
            assert abs(getattr(report.totals[0], field) - summed) < 1e-9
            assert abs(getattr(report.owners[0], field) - summed) < 1e-9
        assert [owner.owner for owner in report.owners] == ["admin"]
    finally:
        for session_id in ids:
            try:
                client.call(client.sessions.DeleteSession, sessions.DeleteSessionRequest(session_id=session_id, force=True))
            except grpc.RpcError:
                pass
        gateway.stop()
        gateway.kill_session_processes()
