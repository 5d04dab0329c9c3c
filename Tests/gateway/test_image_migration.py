"""Image tags and the seed's migration path, end to end through the command line and a
real gateway on the Local backend: a session created from a DEPRECATED image is warned
(in the answer and in the activity log); an EXPERIMENTAL image needs the opt-in; the
stopped session is added as new from its latest checkpoint with the RECOMMENDED image,
and the new session carries its files and lists the history it inherits."""
import json
import os
import subprocess
import time

import grpc

from gateway_procs import BIN_DIR, Gateway, write_python_preset_config

SERVE = """
import http.server, os
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler,
                       ).serve_forever()
"""


def test_deprecated_experimental_and_the_migration_path(tmp_path, api):
    config = tmp_path / "config.yaml"
    write_python_preset_config(config, "py", SERVE)
    text = config.read_text().replace(
        "images: [{name: python3, reference: python3}]",
        "images: [{name: current, reference: python3}, {name: legacy, reference: python3, tag: deprecated}, "
        "{name: next, reference: python3, tag: experimental}]")
    config.write_text(text)
    gateway = Gateway(config=str(config)).start()
    environment = dict(os.environ, SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)

    def cli(*args, check=True):
        result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, capture_output=True,
                                text=True, timeout=180)
        assert not check or result.returncode == 0, result.stderr
        return result

    channel = grpc.insecure_channel(gateway.address)
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    metadata = [("authorization", f"Bearer {gateway.token}")]


    def session(name):
        return json.loads(cli("session", "get", name, "--output", "json").stdout)

    try:
        created = cli("session", "create", "legacy", "--preset", "py", "--image", "legacy", "--wait", "--output",
                      "json")
        legacy = json.loads(created.stdout)
        assert "warning: image 'legacy' of preset 'py' is DEPRECATED; migrate to the RECOMMENDED image 'current'" \
            in created.stderr
        assert any("DEPRECATED" in warning for warning in session(legacy["id"])["warnings"])
        events = json.loads(cli("session", "events", legacy["id"], "--output", "json").stdout)["events"]
        assert any("DEPRECATED" in event["message"] for event in events), events

        refused = cli("session", "create", "trial", "--preset", "py", "--image", "next", check=False)
        assert refused.returncode != 0 and "EXPERIMENTAL" in refused.stderr and "--allow-experimental" in refused.stderr
        trial = json.loads(cli("session", "create", "trial", "--preset", "py", "--image", "next",
                               "--allow-experimental", "--output", "json").stdout)
        assert any("EXPERIMENTAL" in warning for warning in trial["warnings"])

        # Work in the legacy session, then the migration: stop it, add it as new from its
        # latest checkpoint with the recommended image.
        terminals = api["terminal_service_grpc"].TerminalServiceStub(channel)
        terminals.CreateTerminal(api["terminal_service"].CreateTerminalRequest(
            session_id=legacy["id"], name="work", command=["/bin/sh", "-c", "echo analysis > notes.txt; sleep 600"]),
            metadata=metadata, timeout=30)
        deadline = time.time() + 30
        while gateway.fetch(legacy["id"], "notes.txt") != (200, "analysis\n"):
            assert time.time() < deadline, "the file was not written"
            time.sleep(0.3)
        refused = cli("session", "clone", "--from-session", legacy["id"], "migrated", "--image", "current", check=False)
        assert refused.returncode != 0 and "stopped" in refused.stderr
        cli("session", "pause", legacy["id"], "--wait")
        own = json.loads(cli("checkpoint", "list", legacy["id"], "--output", "json").stdout)["checkpoints"]
        migrated = json.loads(cli("session", "clone", "--from-session", legacy["id"], "migrated", "--image", "current",
                                  "--wait", "--output", "json").stdout)
        assert migrated["state"] == "SESSION_STATE_RUNNING" and migrated["spec"]["image"] == "current"
        assert migrated["clonedFromCheckpointId"] == own[0]["id"]
        assert not migrated.get("warnings")
        listed = json.loads(cli("checkpoint", "list", migrated["id"], "--output", "json").stdout)
        assert [checkpoint["id"] for checkpoint in listed["inherited"]] == [checkpoint["id"] for checkpoint in own]
        table = cli("checkpoint", "list", migrated["id"]).stdout
        assert "Inherited from the sessions it was added as new from" in table and own[0]["id"] in table
        assert gateway.fetch(migrated["id"], "notes.txt") == (200, "analysis\n"), "the new session has the old one's files"

        # Both sources at once, or none: a precise refusal.
        for request, message in (
                (dict(checkpoint_id=own[0]["id"], session_id=legacy["id"]), "not both"),
                (dict(), "checkpoint_id or session_id is required")):
            try:
                sessions.CloneSession(api["session_service"].CloneSessionRequest(name="x", **request),
                                      metadata=metadata, timeout=30)
                raise AssertionError("accepted")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and message in error.details()
    finally:
        gateway.stop()
        gateway.kill_session_processes()
