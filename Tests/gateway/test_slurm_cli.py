"""The Slurm backend end to end: a `sessiongw serve` process whose compute environment is
the real single-node Slurm cluster of scripts/slurm-cluster.sh, driven only with
`sessiongw` client commands, and checked against what Slurm itself says (`squeue`,
`scontrol`) and what is left on the cluster's shared filesystem."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from gateway_procs import BIN_DIR, ROOT, Gateway

# The preset's IDE: waits three seconds (so the session is seen STARTING), then serves
# /workspace on $SESSION_PORT: GET reads a file, PUT writes one, both only with the
# session's token (`?token=` or `X-Session-Token`, as the embedded sample IDE). It binds every address because the connection
# the job reports names the node's host name, not 127.0.0.1.
IDE = r'''
import http.server, os, time, urllib.parse
time.sleep(3)
TOKEN = os.environ["SESSION_TOKEN"]
class IDE(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory="/workspace", **k)
    def allowed(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if (query.get("token", [""])[0] or self.headers.get("X-Session-Token", "")) != TOKEN:
            self.send_error(401)
            return False
        return True
    def do_GET(self):
        if self.allowed():
            super().do_GET()
    def do_PUT(self):
        if not self.allowed():
            return
        path = os.path.normpath("/workspace/" + self.path.split("?")[0].lstrip("/"))
        if not path.startswith("/workspace/"):
            return self.send_error(403)
        with open(path, "wb") as handle:
            handle.write(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["SESSION_PORT"])), IDE).serve_forever()
'''

STATES = ("PENDING", "STARTING", "RUNNING", "PAUSING", "PAUSED", "FAILED", "DELETING", "UNKNOWN")


def start_cluster():
    """Starts the test cluster (a no-op when it runs) and returns the settings it prints."""
    result = subprocess.run([os.path.join(ROOT, "scripts", "slurm-cluster.sh"), "start"], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"scripts/slurm-cluster.sh start failed:\n{result.stderr[-2000:]}"
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


class SlurmGateway:
    """A gateway configuration on the real cluster with its own data directory, area of
    the shared directory and job name prefix; the gateway process can be killed and
    started again on the same data directory."""

    def __init__(self, cluster):
        tag = uuid.uuid4().hex[:6]
        self.prefix = f"p{tag}"
        self.work = tempfile.mkdtemp(prefix="sessiongw-slurm-cli-")
        self.data_dir = os.path.join(self.work, f"slurm-cli-{tag}")  # also names the gateway's log
        os.makedirs(self.data_dir)
        self.shared = os.path.join(cluster["SLURM_SHARED_DIR"], f"cli-{tag}")
        self.config = os.path.join(self.work, "config.yaml")
        configuration = {
            "reconcileInterval": "1s",
            "checkpointInterval": "5m",
            "computeEnvironments": [{
                "id": "hpc", "backend": "slurm", "pools": ["interactive", "tiny"], "defaultPool": "interactive",
                "settings": {
                    "url": cluster["SLURM_REST_URL"], "user": cluster["SLURM_REST_USER"],
                    "tokenFile": cluster["SLURM_REST_TOKEN_FILE"], "sharedDirectory": self.shared,
                    "jobNamePrefix": self.prefix, "pollInterval": "250ms", "requestSpacing": "5ms",
                    "readinessTimeout": "60s",
                },
            }],
            "presets": [{
                "id": "notebook", "displayName": "Python notebook on Slurm", "ideKind": "JUPYTERLAB",
                "command": ["/usr/bin/python3", "-c", IDE],
                "images": [{"name": "python3", "reference": "python3"}],
                "podSizes": [{"name": "small", "cpu": 1, "memory": "256MiB"}],
                "defaultHomeVolume": "1GiB",
            }],
        }
        # JSON is YAML: no quoting rules to get wrong for the IDE's source.
        with open(self.config, "w") as handle:
            json.dump(configuration, handle)
        self.gateway = None

    def start(self):
        """Starts a gateway process on the data directory (again, after a kill)."""
        self.gateway = Gateway(data_dir=self.data_dir, config=self.config).start()
        return self.gateway

    def cli(self, *args, check=True, timeout=120):
        """Runs `sessiongw ARGS` against the current gateway."""
        environment = dict(os.environ, SESSIONGW_ADDRESS=self.gateway.address, SESSIONGW_TOKEN=self.gateway.token)
        result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, capture_output=True,
                                text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, \
                f"sessiongw {' '.join(args)}: {result.returncode}\n{result.stdout}\n{result.stderr}\n{self.gateway.tail()}"
        return result

    def session(self, session_id):
        """`sessiongw session get ID --output json`."""
        return json.loads(self.cli("session", "get", session_id, "--output", "json").stdout)

    def wait_for(self, session_id, accept, timeout=60):
        """Polls `sessiongw session get` until `accept(session)` holds."""
        deadline = time.time() + timeout
        while True:
            session = self.session(session_id)
            if accept(session):
                return session
            assert time.time() < deadline, f"timed out; last: {session['state']}: {session['stateReason']}"
            time.sleep(0.25)

    def jobs(self, session_id=None, every=False):
        """{job id: state} of this gateway's jobs (of one session): the live ones from
        `squeue`, or with `every` also those that ended recently, from `scontrol`."""
        name = f"{self.prefix}-{session_id}" if session_id else None
        if every:
            output = subprocess.run(["scontrol", "-o", "show", "job"], capture_output=True, text=True).stdout
            found = {}
            for line in output.splitlines():
                fields = dict(re.findall(r"(\w+)=(\S*)", line))
                job_name = fields.get("JobName", "")
                if job_name == name or (name is None and job_name.startswith(self.prefix + "-")):
                    found[fields["JobId"]] = fields.get("JobState", "")
            return found
        output = subprocess.run(["squeue", "-h", "-o", "%i %j %T"], capture_output=True, text=True, check=True).stdout
        found = {}
        for line in output.splitlines():
            job, job_name, state = line.split()
            if job_name == name or (name is None and job_name.startswith(self.prefix + "-")):
                found[job] = state
        return found

    def wait_for_no_jobs(self, timeout=20):
        """Waits until Slurm runs and queues no job of this gateway (cancelled jobs take
        a moment to finish completing)."""
        deadline = time.time() + timeout
        while self.jobs():
            assert time.time() < deadline, f"jobs left: {self.jobs()}"
            time.sleep(0.25)

    def clean_up(self):
        """Stops the gateway, cancels every job with the prefix, removes the directories."""
        if self.gateway:
            self.gateway.stop()
        for job in self.jobs():
            subprocess.run(["scancel", job], capture_output=True)
        shutil.rmtree(self.shared, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)


@pytest.fixture
def slurm_gateway():
    """A `sessiongw serve` process on the real Slurm cluster; afterwards no job of it and
    none of its files are left."""
    instance = SlurmGateway(start_cluster())
    instance.start()
    yield instance
    instance.clean_up()


def ide(gw, session_id, path, data=None):
    """GET (or PUT `data` to) a file of the session's home through its IDE, at the URL
    and with the token `sessiongw session connect` gives."""
    connection = json.loads(gw.cli("session", "connect", session_id, "--output", "json").stdout)
    parts = urllib.parse.urlsplit(connection["url"])
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/" + path, parts.query, ""))
    request = urllib.request.Request(url, data=data, method="PUT" if data is not None else "GET",
                                     headers={"X-Session-Token": connection["accessToken"]})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read().decode()


def progress_states(stderr):
    """The states `--wait` reported, in order, from its progress lines."""
    states = []
    for line in stderr.splitlines():
        match = re.match(r"\[\s*[^\]]*\] \S+\s+([A-Z_]+)", line)
        if match and match.group(1) in STATES and (not states or states[-1] != match.group(1)):
            states.append(match.group(1))
    return states


def test_slurm_session_lifecycle_through_the_cli(slurm_gateway):
    gw = slurm_gateway
    presets = gw.cli("preset", "list").stdout
    assert "notebook" in presets

    # A session from the preset runs as a Slurm job, STARTING until its IDE serves.
    created = gw.cli("session", "create", "analysis", "--preset", "notebook", "--environment", "hpc", "--pool", "tiny",
                     "--wait", "--timeout", "60s", "--output", "json")
    session = json.loads(created.stdout)
    session_id = session["id"]
    assert session["state"] == "SESSION_STATE_RUNNING", session["stateReason"]
    states = progress_states(created.stderr)
    assert "STARTING" in states and states[-1] == "RUNNING", created.stderr
    assert states.index("STARTING") < states.index("RUNNING"), created.stderr
    # RUNNING means serving: the IDE answers at once.
    assert ide(gw, session_id, "")[0] == 200
    jobs = gw.jobs(session_id)
    assert list(jobs.values()) == ["RUNNING"], jobs
    job = next(iter(jobs))
    details = subprocess.run(["scontrol", "-o", "show", "job", job], capture_output=True, text=True, check=True).stdout
    assert f"JobName={gw.prefix}-{session_id} " in details and "Partition=tiny " in details, details
    assert f"Comment=sessiongw session={session_id}" in details, details

    # A second session cannot be scheduled while the first holds `tiny`'s one CPU: the
    # queue reason shows in `get` and `list`.
    queued = json.loads(gw.cli("session", "create", "queued", "--preset", "notebook", "--environment", "hpc",
                               "--pool", "tiny", "--output", "json").stdout)
    pending = gw.wait_for(queued["id"], lambda s: "Resources" in s["stateReason"], timeout=30)
    assert pending["state"] == "SESSION_STATE_PENDING"
    assert pending["stateReason"].startswith("queued in partition tiny: Resources"), pending["stateReason"]
    shown = gw.cli("session", "get", queued["id"]).stdout
    assert re.search(r"State:\s+PENDING", shown) and re.search(r"Reason:\s+queued in partition tiny: Resources", shown), shown
    listed = json.loads(gw.cli("session", "list", "--output", "json").stdout)["sessions"]
    assert {s["id"]: s["state"] for s in listed} == {session_id: "SESSION_STATE_RUNNING", queued["id"]: "SESSION_STATE_PENDING"}
    assert "Resources" in next(s for s in listed if s["id"] == queued["id"])["stateReason"]
    assert list(gw.jobs(queued["id"]).values()) == ["PENDING"]
    gw.cli("session", "delete", queued["id"], "--force", "--wait", "--timeout", "60s")
    assert gw.jobs(queued["id"]) == {}

    # A file written through the IDE survives pause (no job left) and resume (a new job).
    assert ide(gw, session_id, "notes.txt", b"kept across pause")[0] == 201
    gw.cli("session", "pause", session_id, "--wait", "--timeout", "60s")
    gw.wait_for_no_jobs()
    assert os.path.isfile(os.path.join(gw.shared, "sessions", session_id, "home", "notes.txt"))
    resumed = json.loads(gw.cli("session", "resume", session_id, "--wait", "--timeout", "60s", "--output", "json").stdout)
    assert resumed["state"] == "SESSION_STATE_RUNNING", resumed["stateReason"]
    assert ide(gw, session_id, "notes.txt") == (200, "kept across pause")
    # Slurm homes are directories on the shared filesystem: the gateway's storage policy
    # (on by default) does not size them, and a resume keeps the size they were created with.
    assert session["spec"]["homeVolume"] == resumed["spec"]["homeVolume"], resumed["spec"]
    assert resumed["spec"]["homeVolume"].get("newSizeBytes") not in (None, str(2 << 30)), resumed["spec"]
    jobs = gw.jobs(session_id)
    assert list(jobs.values()) == ["RUNNING"] and job not in jobs, jobs
    submitted = gw.jobs(session_id, every=True)
    assert len(submitted) == 2 and job in submitted, submitted

    # SIGKILL the gateway while the session runs; a new process on the same data
    # directory recovers it from its handle: the same job, still serving, no new job.
    gw.gateway.kill()
    gw.start()
    time.sleep(3)  # three reconcile passes of the new gateway
    recovered = gw.wait_for(session_id, lambda s: s["state"] == "SESSION_STATE_RUNNING", timeout=20)
    assert recovered["connectionUrl"] == resumed["connectionUrl"]
    assert ide(gw, session_id, "notes.txt") == (200, "kept across pause")
    assert gw.jobs(session_id) == jobs, "the recovered session runs on the same job"
    assert gw.jobs(session_id, every=True) == submitted, "no job was submitted again after the restart"

    # Delete: no job, no home, no checkpoint left.
    gw.cli("session", "delete", session_id, "--force", "--wait", "--timeout", "60s")
    gw.wait_for_no_jobs()
    deadline = time.time() + 10
    while os.listdir(os.path.join(gw.shared, "sessions")) and time.time() < deadline:
        time.sleep(0.25)
    assert os.listdir(os.path.join(gw.shared, "sessions")) == []
    assert os.listdir(os.path.join(gw.shared, "checkpoints")) == []
    assert json.loads(gw.cli("session", "list", "--output", "json").stdout)["sessions"] == []
