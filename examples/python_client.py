#!/usr/bin/env python3
"""Drives a session's whole lifecycle through the sessiongw API with Python grpcio.

Stubs are generated from the repository's proto/ files at start-up (grpcio-tools), so the
example always matches the API it talks to. Run it against a gateway on its embedded
default (scripts/run-gateway.sh):

    python3 examples/python_client.py --token "$(cat ~/.sessiongw/admin-token)"

It creates two data-links (one to the writable `scratch` bucket, one read-only), a session
from the first preset, waits until it is RUNNING, opens its URL, pauses, resumes, lists and
renames checkpoints, clones a checkpoint into a new session, and deletes both sessions.
"""
import argparse
import importlib
import os
import sys
import tempfile
import time
import urllib.request

import grpc
import grpc_tools
from grpc_tools import protoc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_stubs():
    """Generates the Python modules for proto/sessiongw/v1 into a temporary directory."""
    out = tempfile.mkdtemp(prefix="sessiongw-stubs-")
    proto_dir = os.path.join(ROOT, "proto")
    files = [os.path.join("sessiongw", "v1", name) for name in sorted(os.listdir(os.path.join(proto_dir, "sessiongw", "v1")))]
    # The API uses protobuf's well-known types (Timestamp, Duration, FieldMask), which
    # grpcio-tools ships; their Python modules come with the protobuf package.
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    status = protoc.main(["protoc", f"-I{proto_dir}", f"-I{well_known}", f"--python_out={out}",
                          f"--grpc_python_out={out}", *files])
    if status != 0:
        sys.exit(f"protoc failed with {status}")
    sys.path.insert(0, out)
    names = ["types", "session_service", "checkpoint_service", "datalink_service", "catalog_service", "terminal_service",
             "activity_service", "usage_service", "secret_service"]
    modules = {}
    for name in names:
        modules[name] = importlib.import_module(f"sessiongw.v1.{name}_pb2")
        modules[name + "_grpc"] = importlib.import_module(f"sessiongw.v1.{name}_pb2_grpc")
    return modules


def state_name(pb, state):
    return pb["types"].SessionState.Name(state).removeprefix("SESSION_STATE_")


def wait_for(sessions, pb, metadata, workspace, session_id, wanted, timeout=60):
    """Polls the session until it reaches `wanted`; fails on FAILED."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        session = sessions.GetSession(
            pb["session_service"].GetSessionRequest(workspace=workspace, session_id=session_id), metadata=metadata)
        state = state_name(pb, session.state)
        if state == wanted:
            return session
        if state in ("FAILED", "BUILD_FAILED"):
            sys.exit(f"session {session_id} failed: {session.state_reason}")
        time.sleep(0.1)
    sys.exit(f"session {session_id} did not reach {wanted} in {timeout}s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default=os.environ.get("SESSIONGW_ADDRESS", "127.0.0.1:50051"))
    parser.add_argument("--token", default=os.environ.get("SESSIONGW_TOKEN"))
    parser.add_argument("--workspace", default="default")
    parser.add_argument("--name", default="python-example")
    args = parser.parse_args()
    if not args.token:
        sys.exit("pass --token or set SESSIONGW_TOKEN (the gateway printed where its admin token is)")

    pb = load_stubs()
    channel = grpc.insecure_channel(args.address)
    metadata = [("authorization", f"Bearer {args.token}")]
    sessions = pb["session_service_grpc"].SessionServiceStub(channel)
    checkpoints = pb["checkpoint_service_grpc"].CheckpointServiceStub(channel)
    datalinks = pb["datalink_service_grpc"].DataLinkServiceStub(channel)
    catalog = pb["catalog_service_grpc"].CatalogServiceStub(channel)
    ws = args.workspace

    preset = catalog.ListPresets(pb["catalog_service"].ListPresetsRequest(workspace=ws), metadata=metadata).presets[0]
    image = next(i.name for i in preset.images if pb["types"].ImageTag.Name(i.tag).endswith("RECOMMENDED"))
    environment = catalog.ListComputeEnvironments(
        pb["catalog_service"].ListComputeEnvironmentsRequest(workspace=ws), metadata=metadata).compute_environments[0]
    print(f"preset {preset.id}, image {image}, compute environment {environment.id}")

    links = []
    for location, name in (("s3://scratch/python-example", "scratch-example"), ("s3://reference", "reference-data")):
        link = datalinks.CreateDataLink(
            pb["datalink_service"].CreateDataLinkRequest(workspace=ws, name=name, location=location), metadata=metadata)
        links.append(link)
        print(f"data-link {link.name}: {location}")

    spec = pb["types"].SessionSpec(
        preset=preset.id, image=image, compute_environment=environment.id, data_link_ids=[l.id for l in links],
        labels={"example": "python"})
    session = sessions.CreateSession(
        pb["session_service"].CreateSessionRequest(workspace=ws, name=args.name, spec=spec), metadata=metadata)
    print(f"created session {session.id} ({state_name(pb, session.state)})")
    session = wait_for(sessions, pb, metadata, ws, session.id, "RUNNING")
    connection = sessions.GetSessionConnection(
        pb["session_service"].GetSessionConnectionRequest(workspace=ws, session_id=session.id), metadata=metadata)
    with urllib.request.urlopen(connection.url, timeout=10) as response:
        print(f"RUNNING: {connection.url.split('?')[0]} answered HTTP {response.status}")

    sessions.PauseSession(pb["session_service"].PauseSessionRequest(workspace=ws, session_id=session.id), metadata=metadata)
    wait_for(sessions, pb, metadata, ws, session.id, "PAUSED")
    print("paused")
    sessions.ResumeSession(pb["session_service"].ResumeSessionRequest(workspace=ws, session_id=session.id), metadata=metadata)
    wait_for(sessions, pb, metadata, ws, session.id, "RUNNING")
    print("resumed")

    # A resumed session runs from its pause checkpoint, which cannot be cloned until the
    # gateway has taken the session's next (START) checkpoint: wait for that one.
    deadline = time.time() + 60
    while True:
        listed = checkpoints.ListCheckpoints(
            pb["checkpoint_service"].ListCheckpointsRequest(workspace=ws, session_id=session.id),
            metadata=metadata).checkpoints
        if listed and not listed[0].name.startswith("pause"):
            break
        if time.time() > deadline:
            raise SystemExit("the resumed session got no new checkpoint within 60 s")
        time.sleep(0.2)
    print("checkpoints:", ", ".join(c.name for c in listed))
    paused_checkpoint = next(c for c in listed if c.name.startswith("pause"))
    renamed = checkpoints.RenameCheckpoint(
        pb["checkpoint_service"].RenameCheckpointRequest(
            workspace=ws, checkpoint_id=paused_checkpoint.id, new_name="before experiment"),
        metadata=metadata)
    print(f"renamed {paused_checkpoint.name} to {renamed.name}")

    clone = sessions.CloneSession(
        pb["session_service"].CloneSessionRequest(workspace=ws, checkpoint_id=renamed.id, name=args.name + "-clone"),
        metadata=metadata)
    wait_for(sessions, pb, metadata, ws, clone.id, "RUNNING")
    print(f"cloned into {clone.id}, RUNNING")

    for target in (clone.id, session.id):
        sessions.DeleteSession(
            pb["session_service"].DeleteSessionRequest(workspace=ws, session_id=target, force=True), metadata=metadata)
        try:
            sessions.GetSession(pb["session_service"].GetSessionRequest(workspace=ws, session_id=target), metadata=metadata)
            sys.exit(f"session {target} still exists after delete")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND, error
    for link in links:
        datalinks.DeleteDataLink(pb["datalink_service"].DeleteDataLinkRequest(workspace=ws, data_link_id=link.id), metadata=metadata)
    print("deleted both sessions and the data-links")


if __name__ == "__main__":
    main()
