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
  namespace, see below) with the job's environment plus AWS_BATCH_JOB_ID,
  AWS_BATCH_JQ_NAME and AWS_BATCH_JOB_ATTEMPT, until it exits (SUCCEEDED with exit code
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

Usage: moto_local_jobs.py --host 127.0.0.1 --port 5123
"""
import argparse
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
            job.job_stopped_reason = "Terminated while RUNNABLE"
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
        command = job._add_parameters_to_command(job._get_container_property("command", ["true"]))
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        environment.update({e["name"]: e["value"] for e in job._get_container_property("environment", [])})
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


def install():
    """Patches moto's Batch jobs to run locally."""
    batch_models.Job.run = run_locally
    batch_models.Job.status = property(_plain_status, _set_status)


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
