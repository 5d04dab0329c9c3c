"""Homes that grow, on the Local backend with growing homes (a btrfs filesystem per
session), through a real gateway and the command line, with the sizes scaled down: a
home starts at the initial size; writing inside the session until less than the
minimum is free grows it by a step; two sessions share the compute environment's
limit, so past it the home cannot grow, the activity log says so and writes fail with
"No space left on device"; after a pause, the resumed session starts again with the
initial size free over what it holds."""
import json
import os
import subprocess
import time

import grpc

from gateway_procs import BIN_DIR, Gateway, write_python_preset_config

MIB = 1 << 20
INITIAL, STEP, LIMIT = 256 * MIB, 256 * MIB, 1024 * MIB
SETTINGS = f"""utilizationInterval: 1s
storage: {{initial: 256MiB, step: 256MiB, minimumFree: 96MiB}}
computeEnvironments:
  - {{id: local, backend: local, diskLimit: 1GiB, settings: {{growingHomes: "true"}}}}
"""
SERVE = """
import http.server, os
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler,
                       ).serve_forever()
"""


def test_homes_grow_share_the_limit_fail_past_it_and_shrink_at_resume(tmp_path, api):
    config = tmp_path / "config.yaml"
    write_python_preset_config(config, "py", SERVE, settings=SETTINGS)
    gateway = Gateway(config=str(config)).start()
    environment = dict(os.environ, SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)
    terminals = api["terminal_service_grpc"].TerminalServiceStub(grpc.insecure_channel(gateway.address))
    metadata = [("authorization", f"Bearer {gateway.token}")]

    def cli(*args, check=True):
        result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, capture_output=True,
                                text=True, timeout=180)
        assert not check or result.returncode == 0, result.stderr
        return result

    def session(session_id):
        return json.loads(cli("session", "get", session_id, "--output", "json").stdout)

    def home_size(session_id):
        return int(session(session_id)["spec"]["homeVolume"]["newSizeBytes"])

    def events(session_id, text):
        listed = json.loads(cli("session", "events", session_id, "--output", "json").stdout).get("events", [])
        return [event["message"] for event in listed if text in event["message"]]


    def run(session_id, name, script):
        """Runs `script` in a terminal of the session; returns what it printed to `name.out`."""
        terminals.CreateTerminal(api["terminal_service"].CreateTerminalRequest(
            session_id=session_id, name=name,
            command=["/bin/sh", "-c", f"({script}) > {name}.out 2>&1; sync; mv {name}.out {name}.txt; sleep 600"]),
            metadata=metadata, timeout=30)
        deadline = time.time() + 60
        while (result := gateway.fetch(session_id, f"{name}.txt"))[0] != 200:
            assert time.time() < deadline, f"{name} did not finish"
            time.sleep(0.3)
        return result[1]

    def wait_for(condition, what, timeout=45):
        deadline = time.time() + timeout
        while not (value := condition()):
            assert time.time() < deadline, what
            time.sleep(0.5)
        return value

    def create(name):
        return json.loads(cli("session", "create", name, "--preset", "py", "--env", "SESSIONGW_SAMPLE_INTERVAL=1",
                              "--wait", "--output", "json").stdout)

    try:
        first = create("first")
        assert home_size(first["id"]) == INITIAL
        assert run(first["id"], "size", "df -m /workspace | tail -1 | awk '{print $2}'") == "256\n", "a filesystem of its own"

        # Less than the minimum free: the home grows by a step.
        assert run(first["id"], "fill1", "fallocate -l 200M one && echo written") == "written\n"
        wait_for(lambda: home_size(first["id"]) == INITIAL + STEP, "the home did not grow")
        assert wait_for(lambda: events(first["id"], "the home grew"), "no activity log entry")[0].startswith(
            "the home grew from 256 MiB to 512 MiB")

        # A second session takes its share of the limit; the first grows into what is left.
        second = create("second")
        assert home_size(second["id"]) == INITIAL
        assert run(first["id"], "fill2", "fallocate -l 250M two && echo written") == "written\n"
        wait_for(lambda: home_size(first["id"]) == LIMIT - INITIAL, "the home did not grow to what the limit leaves")

        # Past the limit: no growth, an activity log entry, and "no space" inside.
        assert run(first["id"], "fill3", "fallocate -l 260M three && echo written") == "written\n"
        message = wait_for(lambda: events(first["id"], "cannot grow past"), "the full home was not reported")[0]
        assert "cannot grow past 768 MiB" in message and "no space left on device" in message, message
        full = run(first["id"], "fill4", "fallocate -l 100M four || echo failed")
        assert "No space left on device" in full and "failed" in full, full
        assert home_size(first["id"]) == LIMIT - INITIAL and home_size(second["id"]) == INITIAL

        # Pause and resume gives back what the home no longer holds.
        run(first["id"], "clean", "rm -f one two three four; echo cleaned")
        wait_for(lambda: int((session(first["id"]).get("utilization") or {}).get("diskUsedBytes", LIMIT)) < 32 * MIB,
                 "the agent did not see the space freed")
        cli("session", "pause", first["id"], "--wait")
        cli("session", "resume", first["id"], "--wait")
        resumed = home_size(first["id"])
        assert INITIAL <= resumed < INITIAL + 32 * MIB, resumed
        assert events(first["id"], "the home starts again at"), "the resize at resume is not in the activity log"
        size = int(run(first["id"], "size2", "df -m /workspace | tail -1 | awk '{print $2}'"))
        assert 256 <= size < 300, f"the filesystem was not shrunk: {size} MiB"
    finally:
        gateway.stop()
        gateway.kill_session_processes()
        gateway.unmount_homes()
