"""A page one session serves must not read another session's pages through the
connection proxy while the browser holds both sessions' cookies: headless Chromium
(Debian `chromium`) against a real gateway, with per-session origins
(`connect.sessionHost`), and, to show the test can see a leak, with path-based links on
one origin, where it does."""
import os
import re
import shutil
import subprocess
import tempfile
import time

import grpc
import pytest

from gateway_procs import Gateway, free_port, write_python_preset_config

# Each session writes its page into its home and serves the home: the victim a secret,
# the attacker a script that fetches the URL in its `target` query parameter with the
# browser's cookies and puts what it could read into the document's title.
PAGES = r"""
import http.server, os
os.chdir("/workspace")
with open("secret.html", "w") as handle:
    handle.write("<html><body>VICTIM-SECRET-7781</body></html>")
with open("attack.html", "w") as handle:
    handle.write('''<html><head><title>PENDING</title></head><body><script>
const target = new URLSearchParams(location.search).get("target");
fetch(target, {credentials: "include"})
  .then(response => response.text())
  .then(text => { document.title = text.includes("VICTIM-SECRET") ? "READ-SECRET" : "READ-OTHER"; })
  .catch(error => { document.title = "BLOCKED"; });
</script></body></html>''')
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is not installed (scripts/install-deps.sh test installs Debian's chromium)")


def browse(profile, url, wait_for_scripts=False):
    """Opens `url` in headless Chromium with the profile (its cookies persist between
    calls) and returns the document as it stands once loaded, or, with
    `wait_for_scripts`, once the page's scripts have run."""
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}"]
        + (["--virtual-time-budget=10000"] if wait_for_scripts else []) + ["--dump-dom", url],
        capture_output=True, text=True, timeout=90)
    return result.stdout


def title(document):
    """The document's title, or its end when it has none."""
    found = re.search(r"<title>(.*?)</title>", document)
    return found.group(1) if found else document[-300:]


@pytest.fixture(params=["per-session origins", "one origin"])
def proxied(request, api):
    """A gateway with the page preset whose proxy serves sessions at their own hosts
    (`{session}.sessions.localhost`, which Chromium resolves to this machine), or by
    path on one host."""
    work = tempfile.mkdtemp(prefix="sessiongw-browser-")
    origins = request.param == "per-session origins"
    config = os.path.join(work, "config.yaml")
    write_python_preset_config(config, "pages", PAGES, f"""
connect:
  listen: 127.0.0.1:{free_port()}
{'  sessionHost: "{session}.sessions.localhost"' if origins else ''}""")
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    channel = grpc.insecure_channel(gateway.address)
    yield gateway, channel, work, origins
    channel.close()
    gateway.stop()
    gateway.kill_session_processes()
    shutil.rmtree(work, ignore_errors=True)


def running_session(api, channel, admin, name):
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    types, pb = api["types"], api["session_service"]
    created = sessions.CreateSession(pb.CreateSessionRequest(
        name=name, spec=types.SessionSpec(preset="pages", image="python3", compute_environment="local")),
        metadata=admin, timeout=30)
    deadline = time.time() + 60
    while types.SessionState.Name(sessions.GetSession(pb.GetSessionRequest(session_id=created.id), metadata=admin,
                                                      timeout=10).state) != "SESSION_STATE_RUNNING":
        assert time.time() < deadline, f"session {name} did not become RUNNING"
        time.sleep(0.2)
    link = sessions.GetSessionConnection(pb.GetSessionConnectionRequest(session_id=created.id), metadata=admin, timeout=10)
    return link.url


def test_a_sessions_page_cannot_read_another_sessions_page(proxied, api):
    gateway, channel, work, origins = proxied
    admin = [("authorization", f"Bearer {gateway.token}")]
    victim = running_session(api, channel, admin, "victim")
    attacker = running_session(api, channel, admin, "attacker")
    victim_base, attacker_base = victim.split("?")[0], attacker.split("?")[0]
    profile = os.path.join(work, "browser")

    # The browser opens both sessions' links, so it holds both sessions' cookies.
    assert "VICTIM-SECRET-7781" in browse(profile, victim.replace("/?", "/secret.html?"))
    # The attacker's page, opened through its link, fetches the victim's secret page.
    seen = title(browse(profile, attacker.replace("/?", "/attack.html?") + "&target=" + victim_base + "secret.html",
                        wait_for_scripts=True))
    if origins:
        assert victim_base != attacker_base and victim_base.split("/")[2] != attacker_base.split("/")[2]
        assert seen == "BLOCKED", seen
    else:
        # One origin for every session: the attack works, as the README says.
        assert seen == "READ-SECRET", seen
