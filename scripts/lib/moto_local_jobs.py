#!/usr/bin/env python3
"""moto in server mode, with AWS Batch jobs run as local processes instead of Docker.

moto runs a Batch job's container with Docker, which these machines do not have. This
extension replaces only `moto.batch.models.Job.run` (the thread body that would start
the container); every API call is still moto's own handling. A job then:

  SUBMITTED -> PENDING -> RUNNABLE -> STARTING -> RUNNING -> SUCCEEDED | FAILED

- RUNNABLE: a job asking for more vCPUs than MOTO_BATCH_LOCAL_VCPUS (default 64) stays
  RUNNABLE with the status reason "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - ...", as a
  job does when its compute environment cannot grow, until it is terminated.
- STARTING: the volumes are resolved and the process is launched.
- RUNNING: the command runs as a local process (`/bin/sh` in a private user and mount
  namespace, see below) with the job's environment, its `secrets` (below), plus
  AWS_BATCH_JOB_ID, AWS_BATCH_JQ_NAME and AWS_BATCH_JOB_ATTEMPT, until it exits (SUCCEEDED with exit code
  0, FAILED with "Essential container in task exited" otherwise), is terminated
  (TerminateJob: SIGTERM to its process group, SIGKILL after 2 s; FAILED with the
  reason given) or exceeds attemptDurationSeconds (FAILED, "Job attempt duration
  exceeded timeout").
- Its standard output and error go, line by line while it runs, to the CloudWatch Logs
  group /aws/batch/job, stream <job definition name>/default/<job id>, which DescribeJobs
  reports as container.logStreamName.

Volumes. EFS is emulated by directories: file system `fs-x` is the directory
$MOTO_EFS_ROOT/fs-x (default /tmp/moto-efs); an `efsVolumeConfiguration` with an access
point mounts the access point's root directory inside it, one without mounts its
`rootDirectory`; a `host.sourcePath` volume mounts that path. Each mount point is bound
at its containerPath inside the job's private mount namespace (`unshare --user
--map-root-user --mount`), read-only ones remounted read-only; the command then runs in
a nested user namespace so it cannot undo a read-only mount. Access point POSIX users
are not enforced (the process runs as the namespace's root).

Secrets. Each entry {name, valueFrom} of the job definition's `containerProperties.secrets`
becomes the variable `name`, as Batch does when the container starts: `valueFrom` is a
Secrets Manager secret ARN (its current value), optionally followed by
`:json-key:version-stage:version-id` (the key of a JSON object value; empty fields mean
the current version), resolved from moto's own Secrets Manager state in this process. A
secret that cannot be read fails the job at STARTING with "ResourceInitializationError:
unable to pull secrets ...", as Batch does. Only Secrets Manager ARNs are supported (not
SSM parameters).

Faults. For tests of retries and lost answers, `POST /_sessiongw/faults` with a JSON rule
  {"accessKey": K, "path": P, "count": N, "status": S, "code": C}   answer S with error code C
  {"accessKey": K, "path": P, "count": N, "delaySeconds": D}        handle it, answer D s late
applies to the next N requests to path P (such as /v1/listjobs) signed with access key K,
so rules of one test never touch another's requests; `GET /_sessiongw/faults?accessKey=K`
answers {"served": {P: n}, "pending": {P: n}}, the faults served and still to serve.
`GET /_sessiongw/version` answers $SESSIONGW_MOTO_VERSION (scripts/moto-server.sh sets it).

Usage: moto_local_jobs.py --host 127.0.0.1 --port 5123
"""
import argparse
import json
import re
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime

from moto.batch import models as batch_models
from moto.batch.utils import JobStatus

POLL = 0.05
EFS_ROOT = os.environ.get("MOTO_EFS_ROOT", "/tmp/moto-efs")
LOCAL_VCPUS = float(os.environ.get("MOTO_BATCH_LOCAL_VCPUS", "64"))


def _plain_status(self):
    """The job's status as the runner set it, without moto's automatic progression."""
    return self._status


def _set_status(self, value):
    self._status = value


def _wait_unless_stopped(job, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if job.stop:
            return False
        time.sleep(POLL)
    return not job.stop


def _efs_directory(job, configuration):
    file_system = configuration["fileSystemId"]
    root = configuration.get("rootDirectory") or "/"
    access_point_id = (configuration.get("authorizationConfig") or {}).get("accessPointId")
    if access_point_id:
        from moto.efs.models import efs_backends

        backend = efs_backends[job.backend.account_id][job.backend.region_name]
        access_point = backend.access_points.get(access_point_id)
        if access_point is None:
            raise RuntimeError(f"EFS access point {access_point_id} does not exist")
        if access_point.file_system_id != file_system:
            raise RuntimeError(f"access point {access_point_id} belongs to {access_point.file_system_id}, not {file_system}")
        root = access_point.root_directory.get("Path", "/")
    path = os.path.normpath(os.path.join(EFS_ROOT, file_system, root.lstrip("/")))
    if not path.startswith(os.path.join(EFS_ROOT, file_system)):
        raise RuntimeError(f"root directory {root} leaves the file system")
    os.makedirs(path, exist_ok=True)
    return path


def _mounts(job):
    volumes = {v["name"]: v for v in job._get_container_property("volumes", [])}
    mounts = []
    for point in job._get_container_property("mountPoints", []):
        volume = volumes.get(point["sourceVolume"])
        if volume is None:
            raise RuntimeError(f"mount point names the unknown volume {point['sourceVolume']}")
        if "efsVolumeConfiguration" in volume:
            source = _efs_directory(job, volume["efsVolumeConfiguration"])
        else:
            source = (volume.get("host") or {}).get("sourcePath")
            if not source:
                raise RuntimeError(f"volume {volume['name']} has neither EFS nor a host path")
        mounts.append((source, point["containerPath"], bool(point.get("readOnly", False))))
    # Parents before children, so nested mount points land on the right file system.
    return sorted(mounts, key=lambda m: m[1].count("/"))


def _setup_script(mounts):
    lines = ["set -eu"]
    for source, target, read_only in mounts:
        lines.append(f"mkdir -p {shlex.quote(target)}")
        lines.append(f"mount --bind {shlex.quote(source)} {shlex.quote(target)}")
        if read_only:
            lines.append(f"mount -o remount,bind,ro {shlex.quote(target)}")
    lines.append('exec unshare --user --map-root-user --mount -- "$@"')
    return "\n".join(lines) + "\n"


def _secret_value(job, value_from):
    """The value of one `secrets` entry's valueFrom (a Secrets Manager ARN[:json-key:stage:version])."""
    from moto.secretsmanager.models import secretsmanager_backends

    parts = value_from.split(":")
    if len(parts) < 7 or parts[:3] != ["arn", "aws", "secretsmanager"] or parts[5] != "secret":
        raise RuntimeError(f"valueFrom {value_from} is not a Secrets Manager secret ARN")
    arn = ":".join(parts[:7])
    key, stage, version = (parts[7:] + ["", "", ""])[:3]
    backend = secretsmanager_backends[parts[4]][parts[3]]
    answer = backend.get_secret_value(arn, version or None, stage or None)
    text = answer.get("SecretString")
    if text is None:
        raise RuntimeError(f"secret {arn} has no string value")
    if not key:
        return text
    value = json.loads(text).get(key)
    if value is None:
        raise RuntimeError(f"secret {arn} has no key {key}")
    return value if isinstance(value, str) else json.dumps(value)


def _secrets(job):
    return {s["name"]: _secret_value(job, s["valueFrom"]) for s in job._get_container_property("secrets", []) or []}


def _vcpus(job):
    for requirement in job._get_container_property("resourceRequirements", []) or []:
        if requirement.get("type") == "VCPU":
            return float(requirement["value"])
    return float(job._get_container_property("vcpus", 1) or 1)


def _log_lines(job, stream):
    logs = job._log_backend
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip("\n")
        try:
            logs.put_log_events(job._log_group, job.log_stream_name,
                                [{"timestamp": int(time.time() * 1000), "message": line}])
        except Exception as error:  # a log that cannot be written must not stop the job
            print(f"moto_local_jobs: log write failed: {error}", file=sys.stderr)


def _stop_process(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(POLL)
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_locally(job):
    """The replacement for Job.run: the job's command as a local process."""
    try:
        for status in (JobStatus.PENDING, JobStatus.RUNNABLE):
            if job.stop:
                return job._mark_stopped(success=False)
            job.status = status.value
            time.sleep(POLL)
        if job.depends_on and not job._wait_for_dependencies():
            return
        if _vcpus(job) > LOCAL_VCPUS:
            job.job_stopped_reason = (
                f"CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - the compute environment has {LOCAL_VCPUS:g} vCPUs "
                f"and the job needs {_vcpus(job):g}")
            while not job.stop:
                time.sleep(POLL)
            # TerminateJob recorded its reason, which Batch keeps on the job.
            return job._mark_stopped(success=False)
        if job.stop:
            return job._mark_stopped(success=False)
        job.status = JobStatus.STARTING.value
        job.job_started_at = datetime.now()
        job.log_stream_name = job._stream_name
        job._log_backend.ensure_log_group(job._log_group)
        job._log_backend.ensure_log_stream(job._log_group, job.log_stream_name)
        job._start_attempt()
        job.latest_attempt["container"]["networkInterfaces"] = [{"privateIpv4Address": "127.0.0.1"}]
        try:
            mounts = _mounts(job)
        except Exception as error:
            job.job_stopped_reason = f"CannotStartContainerError: {error}"
            return job._mark_stopped(success=False)
        try:
            secrets = _secrets(job)
        except Exception as error:
            job.job_stopped_reason = f"ResourceInitializationError: unable to pull secrets or registry auth: {error}"
            return job._mark_stopped(success=False)
        command = job._add_parameters_to_command(job._get_container_property("command", ["true"]))
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        environment.update({e["name"]: e["value"] for e in job._get_container_property("environment", [])})
        environment.update(secrets)
        environment["AWS_BATCH_JOB_ID"] = job.job_id
        environment["AWS_BATCH_JQ_NAME"] = job.job_queue.name
        environment["AWS_BATCH_JOB_ATTEMPT"] = "1"
        arguments = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private", "--",
                     "/bin/sh", "-c", _setup_script(mounts), "job"] + list(command)
        process = subprocess.Popen(arguments, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True, cwd="/")
        reader = threading.Thread(target=_log_lines, args=(job, process.stdout), daemon=True)
        reader.start()
        job.status = JobStatus.RUNNING.value
        duration = job._get_attempt_duration()
        deadline = time.monotonic() + duration if duration else None
        timed_out = False
        while process.poll() is None and not job.stop:
            if deadline is not None and time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(POLL)
        stopped = job.stop or timed_out
        if process.poll() is None:
            _stop_process(process)
        code = process.wait()
        reader.join(timeout=2)
        job.exit_code = 128 - code if code < 0 else code
        if timed_out:
            job.job_stopped_reason = "Job attempt duration exceeded timeout"
        elif not stopped and job.exit_code != 0:
            job.job_stopped_reason = "Essential container in task exited"
        job.latest_attempt["container"]["exitCode"] = job.exit_code
        job.latest_attempt["container"]["reason"] = job.job_stopped_reason
        job._mark_stopped(success=not stopped and job.exit_code == 0)
    except Exception as error:
        print(f"moto_local_jobs: job {job.job_id} failed: {error}", file=sys.stderr)
        job.job_stopped_reason = f"moto_local_jobs: {error}"
        job._mark_stopped(success=False)


FAULTS_PATH = "/_sessiongw/faults"
_faults_lock = threading.Lock()
_faults = []  # rules: dicts with accessKey, path, count and status/code or delaySeconds
_served = {}  # (accessKey, path) -> faults served


def _access_key(environ):
    match = re.search(r"Credential=([^/,\s]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else ""


def _json_response(start_response, status, value):
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _faults_admin(environ, start_response):
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        rule = json.loads(environ["wsgi.input"].read(length) or b"{}")
        if not rule.get("accessKey") or not rule.get("path") or int(rule.get("count", 0)) <= 0:
            return _json_response(start_response, "400 Bad Request", {"message": "accessKey, path and count > 0 are required"})
        with _faults_lock:
            _faults.append(dict(rule, count=int(rule["count"])))
        return _json_response(start_response, "200 OK", {})
    query = dict(pair.split("=", 1) for pair in environ.get("QUERY_STRING", "").split("&") if "=" in pair)
    key = query.get("accessKey", "")
    with _faults_lock:
        served = {path: n for (k, path), n in _served.items() if k == key}
        pending = {}
        for rule in _faults:
            if rule["accessKey"] == key:
                pending[rule["path"]] = pending.get(rule["path"], 0) + rule["count"]
    return _json_response(start_response, "200 OK", {"served": served, "pending": pending})


def _take_fault(environ):
    key, path = _access_key(environ), environ.get("PATH_INFO", "")
    if not key:
        return None
    with _faults_lock:
        for rule in _faults:
            if rule["accessKey"] == key and rule["path"] == path:
                rule["count"] -= 1
                if rule["count"] <= 0:
                    _faults.remove(rule)
                _served[(key, path)] = _served.get((key, path), 0) + 1
                return rule
    return None


def faulty(application_class):
    """The moto WSGI application with the fault rules above in front of it."""

    class FaultyApplication(application_class):
        def __call__(self, environ, start_response):
            if environ.get("PATH_INFO") == "/_sessiongw/version":
                body = os.environ.get("SESSIONGW_MOTO_VERSION", "").encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            if environ.get("PATH_INFO") == FAULTS_PATH:
                return _faults_admin(environ, start_response)
            rule = _take_fault(environ)
            if rule is None:
                return super().__call__(environ, start_response)
            if "delaySeconds" in rule:
                captured, chunks = {}, []

                def capture(status, headers, exc_info=None):
                    captured["status"], captured["headers"] = status, headers
                    return chunks.append

                result = super().__call__(environ, capture)
                try:
                    chunks.extend(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
                time.sleep(float(rule["delaySeconds"]))
                start_response(captured["status"], captured["headers"])
                return chunks
            code = rule.get("code", "ThrottlingException")
            status = int(rule.get("status", 429))
            body = json.dumps({"__type": code, "message": "Rate exceeded (injected fault)"}).encode()
            start_response(f"{status} Injected", [("Content-Type", "application/json"), ("x-amzn-ErrorType", code),
                                                   ("Content-Length", str(len(body)))])
            return [body]

    return FaultyApplication


def install():
    """Patches moto's Batch jobs to run locally."""
    batch_models.Job.run = run_locally
    batch_models.Job.status = property(_plain_status, _set_status)
    import moto.server

    moto.server.DomainDispatcherApplication = faulty(moto.server.DomainDispatcherApplication)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5123")
    options = parser.parse_args()
    install()
    os.makedirs(EFS_ROOT, exist_ok=True)
    from moto.server import main as moto_main

    moto_main(["-H", options.host, "-p", str(options.port)])


if __name__ == "__main__":
    main()
