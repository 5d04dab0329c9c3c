"""Workspace secrets and configurations through the command line and a real gateway on
the Local backend: a value goes in on standard input and never comes out (not in any
answer, the gateway's log or its store file); the bundle reaches a new session's
environment unless it opts out; a name in use needs --replace; the value can be rotated;
a configuration turned on at creation brings its variables, here from the secret."""
import http.client
import json
import os
import subprocess
import time

from gateway_procs import BIN_DIR, Gateway, write_python_preset_config

VALUE = "python-bundle-s3cr3t-9c4d"
ROTATED = VALUE + "-rotated"
# Writes what the session got as API_TOKEN where the proxy serves it, then serves.
SERVE = """
import http.server, os
open(".api-token", "w").write(os.environ.get("API_TOKEN", "<unset>"))
http.server.HTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def test_secrets_go_in_and_never_come_out(tmp_path):
    config = tmp_path / "config.yaml"
    write_python_preset_config(config, "py", SERVE, settings="""
configurations:
  - name: uses-secret
    description: the team token by reference
    env: [{name: API_TOKEN, secret: team-token}]
""")
    gateway = Gateway(config=str(config)).start()
    environment = dict(os.environ, SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)
    printed = []

    def cli(*args, stdin=None, check=True):
        result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, input=stdin,
                                capture_output=True, text=True, timeout=180)
        printed.append(result.stdout + result.stderr)
        assert not check or result.returncode == 0, result.stderr
        return result

    def token_of(session_id):
        host, port = gateway.proxy_url.removeprefix("http://").split(":")
        deadline = time.time() + 30
        while True:
            connection = http.client.HTTPConnection(host, int(port), timeout=15)
            connection.request("GET", f"/sessions/default/{session_id}/.api-token",
                               headers={"Authorization": f"Bearer {gateway.token}"})
            response = connection.getresponse()
            body = response.read().decode()
            connection.close()
            if response.status == 200:
                return body
            assert time.time() < deadline, f"no .api-token: {response.status}"
            time.sleep(0.3)

    try:
        created = json.loads(cli("secret", "create", "team-token", "--env", "API_TOKEN", "--output", "json",
                                 stdin=VALUE + "\n").stdout)
        assert created["name"] == "team-token" and created["environmentVariable"] == "API_TOKEN"
        assert created["updatedBy"] == "admin" and "value" not in created
        listed = json.loads(cli("secret", "list", "--output", "json").stdout)["secrets"]
        assert [secret["name"] for secret in listed] == ["team-token"]

        taken = cli("secret", "create", "team-token", stdin="other", check=False)
        assert taken.returncode == 2 and "replace" in taken.stderr
        reserved = cli("secret", "create", "x", "--env", "SESSION_TOKEN", stdin="v", check=False)
        assert reserved.returncode == 2 and "reserved" in reserved.stderr
        empty = cli("secret", "create", "y", stdin="", check=False)
        assert empty.returncode == 2 and "value" in empty.stderr

        inherits = json.loads(cli("session", "create", "inherits", "--preset", "py", "--wait", "--output",
                                  "json").stdout)
        without = json.loads(cli("session", "create", "without", "--preset", "py", "--no-workspace-secrets", "--wait",
                                 "--output", "json").stdout)
        assert without["spec"]["excludeWorkspaceSecrets"] is True
        assert token_of(inherits["id"]) == VALUE, "the bundle reaches the session's environment"
        assert token_of(without["id"]) == "<unset>", "a session that opts out goes without"

        cli("secret", "create", "team-token", "--env", "API_TOKEN", "--replace", stdin=ROTATED)
        rotated = json.loads(cli("session", "create", "rotated", "--preset", "py", "--wait", "--output",
                                 "json").stdout)
        assert token_of(rotated["id"]) == ROTATED

        offered = json.loads(cli("configuration", "list", "--output", "json").stdout)["configurations"]
        assert [(item["name"], item.get("defaultOn", False)) for item in offered] == [("uses-secret", False)]
        configured = json.loads(cli("session", "create", "configured", "--preset", "py", "--no-workspace-secrets",
                                    "--configuration", "uses-secret", "--wait", "--output", "json").stdout)
        assert configured["spec"]["configurations"] == ["uses-secret"]
        assert token_of(configured["id"]) == ROTATED, "a configuration turned on brings its variables"
        unknown = cli("session", "create", "unknown", "--preset", "py", "--configuration", "nope", check=False)
        assert unknown.returncode == 2 and "configuration 'nope'" in unknown.stderr

        cli("secret", "delete", "team-token")
        cli("secret", "delete", "team-token")
        assert json.loads(cli("secret", "list", "--output", "json").stdout)["secrets"] == []
        cli("session", "get", inherits["id"], "--output", "json")
    finally:
        gateway.stop()
        gateway.kill_session_processes()
    # Never out: not in any answer or message the command line printed, the gateway's
    # log, or its store (the database, its write-ahead log).
    for value in (VALUE, ROTATED):
        assert not any(value in text for text in printed)
        with open(gateway.log_path, errors="replace") as log:
            assert value not in log.read()
        for name in os.listdir(gateway.data_dir):
            path = os.path.join(gateway.data_dir, name)
            if name.startswith("sessiongw.sqlite") and os.path.isfile(path):
                with open(path, "rb") as handle:
                    assert value.encode() not in handle.read(), f"{name} holds a secret value"
