"""Custom environments, end to end through the command line and a real gateway on the
Local backend with packages from PyPI: a session that asks for a package is BUILDING
while a real virtual environment is built, its build log streams to `session logs
--follow` and the activity log, and the package is importable in the session; a second
session with the same package starts from the cache without building; a package that
does not exist ends in BUILD_FAILED naming it, with the log kept; a clone keeps the
packages; requirements that could be read as pip options are refused."""
import json
import os
import subprocess
import time

from gateway_procs import BIN_DIR, Gateway, write_python_preset_config

# A small pure-Python wheel that the system's Python does not have.
PACKAGE = "pyjokes==0.8.3"
MISSING = "sessiongw-no-such-package-7c1e"

# The IDE: records what its Python sees, then serves the workspace.
SERVE = """
import http.server, importlib.util, os
with open("environment.txt", "w") as report:
    report.write(f"{os.environ.get('VIRTUAL_ENV', '-')} {importlib.util.find_spec('pyjokes') is not None}")
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler,
                       ).serve_forever()
"""


def test_builds_cache_failures_and_clones(tmp_path):
    config = tmp_path / "config.yaml"
    write_python_preset_config(config, "py", SERVE)
    gateway = Gateway(config=str(config)).start()
    environment = dict(os.environ, SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)

    def cli(*args, check=True, timeout=300):
        result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, capture_output=True,
                                text=True, timeout=timeout)
        assert not check or result.returncode == 0, result.stderr
        return result


    def session(session_id):
        return json.loads(cli("session", "get", session_id, "--output", "json").stdout)

    def wait_until_running(session_id):
        deadline = time.time() + 120
        while (state := session(session_id)["state"]) != "SESSION_STATE_RUNNING":
            assert time.time() < deadline and state in ("SESSION_STATE_BUILDING", "SESSION_STATE_STARTING",
                                                        "SESSION_STATE_PENDING"), session(session_id)
            time.sleep(0.3)

    def events(session_id):
        return json.loads(cli("session", "events", session_id, "--output", "json").stdout).get("events", [])

    def states(session_id):
        return [event.get("toState") for event in events(session_id) if event.get("type") == "SESSION_EVENT_TYPE_STATE_CHANGED"]

    try:
        # A build: BUILDING, its log followed live, then RUNNING with the package importable.
        first = json.loads(cli("session", "create", "first", "--preset", "py", "--package", PACKAGE,
                               "--output", "json").stdout)
        assert first["spec"]["packages"] == [PACKAGE]
        assert first["state"] in ("SESSION_STATE_PENDING", "SESSION_STATE_BUILDING"), first
        followed = cli("session", "logs", first["id"], "--follow")
        assert "building a Python environment with pyjokes==0.8.3" in followed.stdout, followed.stdout
        assert "Successfully installed pyjokes-0.8.3" in followed.stdout, followed.stdout
        wait_until_running(first["id"])
        assert "SESSION_STATE_BUILDING" in states(first["id"])
        assert gateway.fetch(first["id"], "environment.txt") == (200, "/srv/environment True")
        logged = [event["message"] for event in events(first["id"]) if event["type"] == "SESSION_EVENT_TYPE_BUILD_LOG"]
        assert logged == followed.stdout.splitlines(), "the activity log holds the same lines, once each"
        assert "pyjokes==0.8.3" in cli("session", "get", first["id"]).stdout

        # The same packages again: from the cache, never BUILDING, nothing to log.
        second = json.loads(cli("session", "create", "second", "--preset", "py", "--package", PACKAGE,
                                "--wait", "--output", "json").stdout)
        assert second["state"] == "SESSION_STATE_RUNNING"
        assert "SESSION_STATE_BUILDING" not in states(second["id"])
        assert cli("session", "logs", second["id"], "--follow").stdout == ""
        assert gateway.fetch(second["id"], "environment.txt") == (200, "/srv/environment True")

        # Sessions cannot change the shared environment.
        cache = os.path.join(gateway.data_dir, "environments", "local", "local", "environments")
        built = [name for name in os.listdir(cache) if not name.startswith(".")]
        assert len(built) == 1 and os.stat(os.path.join(cache, built[0])).st_uid == 0

        # A package that does not exist: BUILD_FAILED naming it, the log kept, no resume.
        failing = json.loads(cli("session", "create", "failing", "--preset", "py", "--package", MISSING,
                                 "--output", "json").stdout)
        followed = cli("session", "logs", failing["id"], "--follow", check=False)
        assert followed.returncode == 3, followed
        assert f"BUILD_FAILED: the environment could not be built: package '{MISSING}' was not found" in followed.stderr
        assert f"No matching distribution found for {MISSING}" in followed.stdout
        failed = session(failing["id"])
        assert failed["state"] == "SESSION_STATE_BUILD_FAILED" and MISSING in failed["stateReason"]
        assert f"No matching distribution found for {MISSING}" in cli("session", "logs", failing["id"]).stdout
        refused = cli("session", "resume", failing["id"], check=False)
        assert refused.returncode == 2 and "failed to build; delete it" in refused.stderr
        cli("session", "delete", failing["id"])
        assert not any(name.startswith(".build-") for name in os.listdir(cache))

        # Add as new keeps the packages and starts from the cache.
        cli("session", "pause", first["id"], "--wait")
        clone = json.loads(cli("session", "clone", "--from-session", first["id"], "clone", "--wait",
                               "--output", "json").stdout)
        assert clone["state"] == "SESSION_STATE_RUNNING" and clone["spec"]["packages"] == [PACKAGE]
        assert "SESSION_STATE_BUILDING" not in states(clone["id"])

        # Requirements that pip would read as options or fetch from elsewhere are refused.
        for requirement in ("--index-url=http://127.0.0.1:1/simple", "-e.", "pyjokes @ https://example.com/x.whl",
                            "pyjokes; python_version>'3'"):
            refused = cli("session", "create", "bad", "--preset", "py", f"--package={requirement}", check=False)
            assert refused.returncode == 2 and "spec.packages[0]" in refused.stderr, refused.stderr
    finally:
        gateway.stop()
        gateway.kill_session_processes()
