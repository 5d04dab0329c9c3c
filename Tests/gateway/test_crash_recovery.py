"""Killing the gateway with SIGKILL in the middle of 200 concurrent creates loses no
acknowledged session and leaves no process that no session owns."""
import concurrent.futures
import threading
import time

import grpc

from gateway_procs import Gateway, session_processes

CREATES = 200


def create_all(gateway, api, acknowledged, stop_after):
    channel = grpc.insecure_channel(gateway.address)
    stub = api["session_service_grpc"].SessionServiceStub(channel)
    metadata = [("authorization", f"Bearer {gateway.token}")]
    lock = threading.Lock()
    errors = []

    def create(index):
        # Small homes: 200 of the default 5 GiB would exceed the 30 GiB disk limit.
        spec = api["types"].SessionSpec(
            preset="notebook", image="python3", compute_environment="local",
            home_volume=api["types"].HomeVolume(new_size_bytes=64 << 20))
        request = api["session_service"].CreateSessionRequest(workspace="default", name=f"crash-{index}", spec=spec)
        try:
            session = stub.CreateSession(request, metadata=metadata, timeout=60)
        except grpc.RpcError as error:
            # Calls cut off by the kill are UNAVAILABLE or CANCELLED; anything else is a bug.
            if error.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED):
                with lock:
                    errors.append(f"{error.code()}: {error.details()}")
            return
        with lock:
            acknowledged[session.name] = session.id
            if len(acknowledged) == stop_after:
                gateway.kill()

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(create, range(CREATES)))
    return errors


def list_sessions(gateway, api):
    channel = grpc.insecure_channel(gateway.address)
    stub = api["session_service_grpc"].SessionServiceStub(channel)
    metadata = [("authorization", f"Bearer {gateway.token}")]
    sessions, token = [], ""
    while True:
        response = stub.ListSessions(
            api["session_service"].ListSessionsRequest(workspace="default", page_size=1000, page_token=token),
            # A channel to the restarted gateway may share a subchannel that is still
            # backing off from the killed one: wait for it instead of failing fast.
            metadata=metadata, timeout=30, wait_for_ready=True)
        sessions += response.sessions
        token = response.next_page_token
        if not token:
            return sessions


def test_sigkill_during_concurrent_creates_loses_nothing_and_leaks_nothing(gateway, api):
    acknowledged = {}
    errors = create_all(gateway, api, acknowledged, stop_after=CREATES // 2)
    assert not errors, errors[:3]
    assert gateway.process.poll() is not None, "the gateway was not killed"
    assert len(acknowledged) >= CREATES // 2
    started = gateway.local_session_ids()  # every session the killed gateway's backend began

    restarted = Gateway(data_dir=gateway.data_dir)
    restarted.port = gateway.port
    restarted.start()
    gateway.server = restarted.server
    running = api["types"].SessionState.Value("SESSION_STATE_RUNNING")
    deadline = time.time() + 240
    while True:
        sessions = list_sessions(gateway, api)
        by_name = {s.name: s for s in sessions}
        missing = [name for name in acknowledged if name not in by_name]
        assert not missing, f"acknowledged sessions lost: {missing[:5]}"
        not_running = [s.name for s in sessions if s.state != running]
        if not not_running:
            break
        assert time.time() < deadline, f"{len(not_running)} sessions did not converge to RUNNING: {not_running[:5]}"
        time.sleep(1)

    # Every acknowledged id is the one that survived, and every process of a session of
    # this gateway's backend belongs to a stored session once the reconciler has swept
    # orphans. (Processes of other tests' sessions on this machine are not its business.)
    assert all(by_name[name].id == session_id for name, session_id in acknowledged.items())
    known = {s.id for s in sessions}
    deadline = time.time() + 60
    while True:
        orphans = (set(session_processes()) & started) - known
        if not orphans:
            break
        assert time.time() < deadline, f"processes no session owns: {sorted(orphans)[:5]}"
        time.sleep(1)

    channel = grpc.insecure_channel(gateway.address)
    stub = api["session_service_grpc"].SessionServiceStub(channel)
    metadata = [("authorization", f"Bearer {gateway.token}")]
    for session in sessions:
        stub.DeleteSession(
            api["session_service"].DeleteSessionRequest(workspace="default", session_id=session.id, force=True),
            metadata=metadata, timeout=60)
    assert not (set(session_processes()) & known), "deleted sessions left processes behind"
