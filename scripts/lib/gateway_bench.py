#!/usr/bin/env python3
"""Measures the sessiongw gateway through its public API (Python grpcio, stubs generated
from proto/ at run time, as examples/python_client.py does).

  gateway_bench.py stubs DIR
      Generates the Python modules for proto/sessiongw/v1 into DIR.
  gateway_bench.py run --phases P --address HOST:PORT --token-file F --pid PID --stubs DIR --out RESULTS.json
      Runs measurements against a running gateway (see scripts/bench-gateway.sh) and
      adds them to RESULTS.json. Phases:
        create  create→RUNNING: sessions of the `notebook` preset created one after
                another, each timed from the CreateSession call until a WatchSessions
                stream reports it RUNNING; deleted afterwards.
        watch   watch delivery: many concurrent WatchSessions streams (in helper
                processes, `watchers` below), filtered to one session; one label change
                of that session per round, timed to each stream's event.
        stored  sessions of a preset whose command exits at once (FAILED, no process
                left) until the store holds the wanted number; then GetSession (grpcio,
                and h2load for a client without Python's overhead), ListSessions, the
                gateway's CPU at rest and its RSS.
        quiet   after a restart on the same data directory (with the periodic reconcile
                pass far apart): waits for the recovery to finish, then the reads of
                `stored` again, and CreateSession into an empty and a filled environment.
  gateway_bench.py watchers --address A --token-file F --stubs DIR --streams N --channels C
                            --session-id ID
      Helper process of the watch phase: opens the streams, prints a JSON line once every stream got
      SNAPSHOT_END, then answers `collect ROUND` lines on stdin with the receive times of
      that round's event as one JSON line; `quit` ends it.
  gateway_bench.py cleanup --address A --token-file F --stubs DIR [--timeout S] [--keep-failed]
      Deletes every session (or every one not FAILED) through the API, with force, and
      waits until they are gone.
  gateway_bench.py kill-leftovers --data-dir DIR
      Last resort: SIGKILLs every process whose environment has SESSION_ID=<id> for a
      session directory under DIR/environments/*/local/sessions.
"""
import argparse
import asyncio
import concurrent.futures
import importlib
import json
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = ["types", "session_service", "checkpoint_service", "datalink_service", "catalog_service"]

# The presets of the benchmark's configuration (scripts/bench-gateway.sh writes it).
NOTEBOOK = ("notebook", "python3")
EXITS = ("exits", "none")
COMPUTE_ENVIRONMENT = "local"
# The stored sessions are spread over compute environments `fill-00`, `fill-01`, ..., and
# a create into a full one is compared with one into `bench-empty`: the disk-limit check
# must not cost more as an environment fills.
FILL_ENVIRONMENT = "fill-{:02d}"
EMPTY_ENVIRONMENT = "bench-empty"
HOME_BYTES = 16 << 20


def log(message):
    print(f"    {message}", file=sys.stderr, flush=True)


# --- stubs ---------------------------------------------------------------------------------------

def generate_stubs(out):
    """Generates proto/sessiongw/v1 into `out`, as examples/python_client.py load_stubs() does."""
    import grpc_tools
    from grpc_tools import protoc
    os.makedirs(out, exist_ok=True)
    proto_dir = os.path.join(ROOT, "proto")
    files = [os.path.join("sessiongw", "v1", name)
             for name in sorted(os.listdir(os.path.join(proto_dir, "sessiongw", "v1")))]
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    status = protoc.main(["protoc", f"-I{proto_dir}", f"-I{well_known}", f"--python_out={out}",
                          f"--grpc_python_out={out}", *files])
    if status != 0:
        sys.exit(f"protoc failed with {status}")


def load_stubs(directory):
    sys.path.insert(0, directory)
    modules = {}
    for name in MODULES:
        modules[name] = importlib.import_module(f"sessiongw.v1.{name}_pb2")
        modules[name + "_grpc"] = importlib.import_module(f"sessiongw.v1.{name}_pb2_grpc")
    return modules


# --- statistics ----------------------------------------------------------------------------------

def percentile(values, fraction):
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, int(-(-fraction * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds):
    """p50/p90/p99/max/mean of durations in seconds, in milliseconds."""
    if not seconds:
        return None
    ms = [s * 1000 for s in seconds]
    return {"count": len(ms), "p50": percentile(ms, 0.50), "p90": percentile(ms, 0.90),
            "p99": percentile(ms, 0.99), "max": max(ms), "min": min(ms), "mean": statistics.fmean(ms)}


# --- gateway process -----------------------------------------------------------------------------

def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                values[key] = int(rest.split()[0])
    return {"rss_kib": values.get("VmRSS"), "hwm_kib": values.get("VmHWM"), "threads": values.get("Threads")}


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_hwm(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# --- API -----------------------------------------------------------------------------------------

class Api:
    def __init__(self, pb, address, token):
        import grpc
        self.grpc = grpc
        self.pb = pb
        self.address = address
        self.token = token
        self.metadata = [("authorization", f"Bearer {token}")]
        self.channel = grpc.insecure_channel(address)
        self.sessions = pb["session_service_grpc"].SessionServiceStub(self.channel)
        self.ss = pb["session_service"]
        self.types = pb["types"]

    def state(self, name):
        return self.types.SessionState.Value(f"SESSION_STATE_{name}")

    def state_name(self, value):
        return self.types.SessionState.Name(value).removeprefix("SESSION_STATE_")

    def spec(self, preset, labels, environment=COMPUTE_ENVIRONMENT):
        return self.types.SessionSpec(
            preset=preset[0], image=preset[1], compute_environment=environment,
            home_volume=self.types.HomeVolume(new_size_bytes=HOME_BYTES), labels=labels)

    def create(self, name, preset, labels, environment=COMPUTE_ENVIRONMENT):
        return self.sessions.CreateSession(
            self.ss.CreateSessionRequest(name=name, spec=self.spec(preset, labels, environment)), metadata=self.metadata)

    def get(self, session_id):
        return self.sessions.GetSession(self.ss.GetSessionRequest(session_id=session_id), metadata=self.metadata)

    def delete(self, session_id, force=True):
        return self.sessions.DeleteSession(
            self.ss.DeleteSessionRequest(session_id=session_id, force=force), metadata=self.metadata)

    def list_page(self, page_size, page_token="", states=(), labels=None):
        request = self.ss.ListSessionsRequest(page_size=page_size, page_token=page_token)
        if states or labels:
            request.filter.CopyFrom(self.ss.SessionFilter(states=[self.state(s) for s in states], labels=labels or {}))
        return self.sessions.ListSessions(request, metadata=self.metadata)

    def list_all(self, page_size=1000, states=()):
        sessions, token, pages = [], "", 0
        while True:
            page = self.list_page(page_size, token, states)
            pages += 1
            sessions.extend(page.sessions)
            token = page.next_page_token
            if not token:
                return sessions, pages

    def wait_gone(self, ids, timeout):
        """Waits until GetSession says NOT_FOUND for every id; returns those still there."""
        remaining = set(ids)
        deadline = time.monotonic() + timeout
        while remaining and time.monotonic() < deadline:
            for session_id in list(remaining):
                try:
                    self.get(session_id)
                except self.grpc.RpcError as error:
                    if error.code() == self.grpc.StatusCode.NOT_FOUND:
                        remaining.discard(session_id)
            if remaining:
                time.sleep(0.2)
        return remaining

    def wait_state(self, session_id, wanted, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            session = self.get(session_id)
            if self.state_name(session.state) in wanted:
                return session
            time.sleep(0.02)
        raise RuntimeError(f"session {session_id} did not reach {wanted} within {timeout} s")


# --- 1. create→RUNNING ---------------------------------------------------------------------------

class StateWatch:
    """One WatchSessions stream in a thread, recording when each (session, state) was first seen."""

    def __init__(self, api, labels):
        self.api = api
        self.seen = {}
        self.condition = threading.Condition()
        self.snapshot_end = threading.Event()
        request = api.ss.WatchSessionsRequest(filter=api.ss.SessionFilter(labels=labels))
        self.call = api.sessions.WatchSessions(request, metadata=api.metadata)
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        if not self.snapshot_end.wait(30):
            raise RuntimeError("the create-latency watch got no SNAPSHOT_END within 30 s")

    def _run(self):
        snapshot_end = self.api.ss.WATCH_EVENT_TYPE_SNAPSHOT_END
        try:
            for event in self.call:
                now = time.perf_counter()
                if event.type == snapshot_end:
                    self.snapshot_end.set()
                    continue
                key = (event.session.id, event.session.state)
                with self.condition:
                    self.seen.setdefault(key, now)
                    self.condition.notify_all()
        except self.api.grpc.RpcError as error:
            if error.code() != self.api.grpc.StatusCode.CANCELLED:
                self.error = error
            with self.condition:
                self.condition.notify_all()

    def wait_for(self, session_id, states, timeout):
        """The first time one of `states` was seen for the session, and which."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for state in states:
                    if (session_id, state) in self.seen:
                        return self.seen[(session_id, state)], state
                left = deadline - time.monotonic()
                if left <= 0 or self.error is not None:
                    return None, None
                self.condition.wait(left)

    def close(self):
        self.call.cancel()
        self.thread.join(5)


def measure_command_startup(runs):
    """How long the notebook preset's command (python3 -m http.server) takes to accept
    connections when started directly, without the gateway: the floor of create→RUNNING."""
    import shutil
    import socket
    # The python3 a session finds on the Local backend's PATH (LocalProvider.Configuration.defaultEnvironment).
    python = shutil.which("python3", path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") or "python3"
    durations = []
    for _ in range(runs):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        start = time.perf_counter()
        process = subprocess.Popen([python, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - start < 10:
                with socket.socket() as client:
                    if client.connect_ex(("127.0.0.1", port)) == 0:
                        durations.append(time.perf_counter() - start)
                        break
                time.sleep(0.001)
        finally:
            process.kill()
            process.wait()
    s = summary_ms(durations)
    if s:
        s["python"] = python
        log(f"{python} -m http.server alone accepts connections after {s['p50']:.0f} ms (median of {len(durations)})")
    return s


def measure_create_latency(api, count, pid):
    log(f"create→RUNNING: {count} sessions of preset '{NOTEBOOK[0]}', one after another")
    labels = {"bench-phase": "create-latency"}
    watch = StateWatch(api, labels)
    running, failed = api.state("RUNNING"), api.state("FAILED")
    totals, acks, failures, ids = [], [], [], []
    try:
        for index in range(count):
            start = time.perf_counter()
            session = api.create(f"bench-create-{index:03d}", NOTEBOOK, labels)
            acked = time.perf_counter()
            ids.append(session.id)
            seen, state = watch.wait_for(session.id, (running, failed), timeout=60)
            if seen is None or state != running:
                reason = api.get(session.id).state_reason if seen is not None else "no RUNNING event within 60 s"
                failures.append(f"{session.id}: {reason}")
                continue
            totals.append(seen - start)
            acks.append(acked - start)
        if watch.error is not None:
            raise RuntimeError(f"the create-latency watch failed: {watch.error}")
    finally:
        watch.close()
        rss_running = proc_status(pid)
        log(f"deleting the {len(ids)} sessions (force)")
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: api.delete(i, force=True), ids))
        left = api.wait_gone(ids, timeout=120)
        delete_seconds = time.perf_counter() - start
    result = {
        "sessions": count, "running": len(totals), "failures": failures[:10], "failure_count": len(failures),
        "create_to_running_ms": summary_ms(totals), "create_ack_ms": summary_ms(acks),
        "gateway_while_running": rss_running, "delete_seconds": delete_seconds, "not_deleted": sorted(left),
    }
    s = result["create_to_running_ms"]
    if s:
        log(f"create→RUNNING median {s['p50']:.1f} ms, p99 {s['p99']:.1f} ms, max {s['max']:.1f} ms "
            f"({len(totals)} of {count} RUNNING)")
    if failures:
        log(f"{len(failures)} session(s) did not reach RUNNING, first: {failures[0]}")
    if left:
        raise RuntimeError(f"{len(left)} create-latency session(s) still exist after DeleteSession")
    return result


# --- 2. watch delivery ---------------------------------------------------------------------------

async def watcher_main(args):
    import grpc
    pb = load_stubs(args.stubs)
    ss = pb["session_service"]
    with open(args.token_file) as f:
        metadata = [("authorization", f"Bearer {f.read().strip()}")]
    channels = [grpc.aio.insecure_channel(args.address, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(args.channels)]
    stubs = [pb["session_service_grpc"].SessionServiceStub(c) for c in channels]
    received = {}  # round -> [receive time]
    ready = 0
    all_ready = asyncio.Event()
    errors = []
    snapshot_end = ss.WATCH_EVENT_TYPE_SNAPSHOT_END
    modified = ss.WATCH_EVENT_TYPE_MODIFIED
    request = ss.WatchSessionsRequest(filter=ss.SessionFilter(labels={"bench-phase": "watch"}))

    async def stream(index):
        nonlocal ready
        call = stubs[index % len(stubs)].WatchSessions(request, metadata=metadata)
        rounds_seen = set()  # the first event of each round only
        try:
            async for event in call:
                now = time.time()
                if event.type == snapshot_end:
                    ready += 1
                    if ready == args.streams:
                        all_ready.set()
                elif event.type == modified and event.session.id == args.session_id:
                    round_label = event.session.spec.labels.get("bench-round")
                    if round_label and round_label not in rounds_seen:
                        rounds_seen.add(round_label)
                        received.setdefault(int(round_label), []).append(now)
        except asyncio.CancelledError:
            call.cancel()
            raise
        except grpc.aio.AioRpcError as error:
            errors.append(f"{error.code().name}: {error.details()}")
            all_ready.set()

    tasks = [asyncio.create_task(stream(i)) for i in range(args.streams)]
    try:
        await asyncio.wait_for(all_ready.wait(), timeout=120)
    except asyncio.TimeoutError:
        errors.append(f"only {ready} of {args.streams} streams got SNAPSHOT_END within 120 s")
    print(json.dumps({"ready": ready, "errors": errors[:5]}), flush=True)

    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if not line or line == "quit":
            break
        _, round_text, timeout_text = line.split()
        wanted, deadline = int(round_text), time.monotonic() + float(timeout_text)
        while len(received.get(wanted, [])) < args.streams and time.monotonic() < deadline and not errors:
            await asyncio.sleep(0.005)
        print(json.dumps({"round": wanted, "times": received.get(wanted, []), "errors": errors[:5]}), flush=True)

    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for channel in channels:
        await channel.close()


def measure_watch(api, args, pid):
    streams, processes = args.watchers, max(1, args.watch_processes)
    log(f"watch delivery: {streams} WatchSessions streams in {processes} process(es), "
        f"{args.watch_channels} connection(s) each, {args.watch_rounds} round(s)")
    labels = {"bench-phase": "watch", "bench-round": "0"}
    target = api.create("bench-watch-target", EXITS, labels)
    api.wait_state(target.id, {"FAILED"})
    # A FAILED session changes only when asked to; let the reconciler's polls of it settle.
    time.sleep(0.5)
    before = proc_status(pid)

    shares = [streams // processes + (1 if i < streams % processes else 0) for i in range(processes)]
    helpers = []
    for share in shares:
        helpers.append(subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "watchers", "--address", args.address,
             "--token-file", args.token_file, "--stubs", args.stubs, "--streams", str(share),
             "--channels", str(args.watch_channels), "--session-id", target.id],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    rounds = []
    try:
        opened = time.perf_counter()
        for helper in helpers:
            status = json.loads(read_line(helper, 180))
            if status["errors"]:
                raise RuntimeError(f"watch streams failed: {status['errors']}")
        open_seconds = time.perf_counter() - opened
        with_watchers = proc_status(pid)
        log(f"{streams} streams open and past SNAPSHOT_END after {open_seconds:.1f} s; "
            f"gateway VmRSS {with_watchers['rss_kib'] / 1024:.1f} MiB")
        for number in range(1, args.watch_rounds + 1):
            time.sleep(1.0)
            spec = api.types.SessionSpec(labels={"bench-phase": "watch", "bench-round": str(number)})
            sent = time.time()
            updated = api.sessions.UpdateSession(
                api.ss.UpdateSessionRequest(session_id=target.id, spec=spec, update_mask={"paths": ["labels"]}),
                metadata=api.metadata)
            acked = time.time()
            recorded = updated.update_time.ToNanoseconds() / 1e9
            times = []
            for helper in helpers:
                helper.stdin.write(f"collect {number} 30\n")
                helper.stdin.flush()
            for helper in helpers:
                reply = json.loads(read_line(helper, 60))
                if reply["errors"]:
                    raise RuntimeError(f"watch streams failed: {reply['errors']}")
                times.extend(reply["times"])
            from_ack = [t - acked for t in times]
            from_send = [t - sent for t in times]
            from_record = [t - recorded for t in times] if recorded else []
            result = {"round": number, "received": len(times), "update_ms": (acked - sent) * 1000,
                      "from_ack_ms": summary_ms(from_ack), "from_send_ms": summary_ms(from_send),
                      "from_update_time_ms": summary_ms(from_record)}
            rounds.append(result)
            s, a = result["from_send_ms"], result["from_ack_ms"]
            log(f"round {number}: {len(times)}/{streams} received; from the request p50 {s['p50']:.1f} ms, "
                f"p99 {s['p99']:.1f} ms, max {s['max']:.1f} ms; from the acknowledgement p99 {a['p99']:.1f} ms "
                f"(UpdateSession took {result['update_ms']:.1f} ms)"
                if s else f"round {number}: no event received")
    finally:
        for helper in helpers:
            try:
                helper.stdin.write("quit\n")
                helper.stdin.flush()
            except OSError:
                pass
        for helper in helpers:
            try:
                helper.wait(20)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait()
        api.delete(target.id, force=True)
    return {"streams": streams, "processes": processes, "channels_per_process": args.watch_channels,
            "open_seconds": open_seconds, "gateway_before": before, "gateway_with_watchers": with_watchers,
            "rounds": rounds}


def read_line(process, timeout):
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if ready else ""
    if not line:
        raise RuntimeError(f"a watcher process gave no answer within {timeout} s (exit status {process.poll()})")
    return line


# --- 3. stored sessions --------------------------------------------------------------------------

async def create_many(pb, address, token, names, concurrency):
    """Creates sessions of the EXITS preset, `concurrency` calls in flight; returns their ids
    and the calls that failed and were retried (same name, up to 3 attempts)."""
    import grpc
    ss, types = pb["session_service"], pb["types"]
    metadata = [("authorization", f"Bearer {token}")]
    ids, errors, retried = [], [], []
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb["session_service_grpc"].SessionServiceStub(channel)
        queue = list(reversed(names))
        progress = {"done": 0, "next_log": time.monotonic() + 15}

        async def worker():
            while queue and len(errors) < 10:
                name, environment, group = queue.pop()
                spec = types.SessionSpec(
                    preset=EXITS[0], image=EXITS[1], compute_environment=environment,
                    home_volume=types.HomeVolume(new_size_bytes=HOME_BYTES),
                    labels={"bench-phase": "stored", "bench-group": group})
                for attempt in range(3):
                    try:
                        session = await stub.CreateSession(
                            ss.CreateSessionRequest(name=name, spec=spec), metadata=metadata)
                        ids.append(session.id)
                        break
                    except grpc.aio.AioRpcError as error:
                        message = f"{name}: {error.code().name}: {error.details()}"
                        retryable = error.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAVAILABLE)
                        if not retryable or attempt == 2:
                            errors.append(message)
                            break
                        retried.append(message)
                progress["done"] += 1
                if time.monotonic() >= progress["next_log"]:
                    progress["next_log"] = time.monotonic() + 15
                    log(f"  {progress['done']} of {len(names)} created")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    if errors:
        raise RuntimeError(f"{len(errors)} CreateSession call(s) failed, first: {errors[0]}")
    return ids, retried


def timed(calls, function):
    durations = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return durations


def measure_stored(api, args, pid):
    existing, _ = api.list_all()
    wanted = args.stored_sessions - len(existing)
    log(f"stored sessions: creating {wanted} sessions of preset '{EXITS[0]}' over {args.fill_environments} compute "
        f"environments ({args.concurrency} in flight) so the store holds {args.stored_sessions}")
    hwm_reset = reset_hwm(pid)
    before = proc_status(pid)
    cpu_before = cpu_seconds(pid)
    environments = [FILL_ENVIRONMENT.format(i) for i in range(args.fill_environments)]
    names = [(f"bench-stored-{index:05d}", environments[index % len(environments)], str(index % 100))
             for index in range(wanted)]
    start = time.perf_counter()
    ids, retried = asyncio.run(create_many(api.pb, api.address, api.token, names, args.concurrency))
    create_seconds = time.perf_counter() - start
    if retried:
        log(f"{len(retried)} CreateSession call(s) failed and were retried; first: {retried[0]}")
    log(f"created {len(ids)} in {create_seconds:.1f} s ({len(ids) / create_seconds:.0f}/s); "
        f"waiting until none is PENDING or STARTING")
    transitional = ("PENDING", "BUILDING", "STARTING")
    deadline = time.monotonic() + 300
    while api.list_page(1, states=transitional).sessions:
        if time.monotonic() > deadline:
            raise RuntimeError("stored sessions still PENDING or STARTING after 300 s")
        time.sleep(0.5)
    settle_seconds = time.perf_counter() - start - create_seconds
    populate_cpu = cpu_seconds(pid) - cpu_before
    after_populate = proc_status(pid)

    listed, pages = api.list_all()
    states = {}
    for session in listed:
        name = api.state_name(session.state)
        states[name] = states.get(name, 0) + 1
    log(f"store holds {len(listed)} sessions: {states}; gateway VmRSS {after_populate['rss_kib'] / 1024:.1f} MiB")

    reads = measure_reads(api, args, pid, ids)
    return {
        "stored": len(listed), "states": states, "created": len(ids), "concurrency": args.concurrency,
        "create_retries": len(retried), "create_retry_examples": retried[:3],
        "create_seconds": create_seconds, "settle_seconds": settle_seconds, "populate_cpu_seconds": populate_cpu,
        "hwm_reset": hwm_reset, "gateway_before": before, "gateway_after_populate": after_populate,
        "list_total_pages": pages, "fill_environments": args.fill_environments, **reads,
    }


def measure_reads(api, args, pid, ids):
    """GetSession and ListSessions latency, then the gateway at rest: CPU and memory."""
    # GetSession, grpcio: random sessions, one call at a time on one channel.
    rng = random.Random(1)
    sample = [rng.choice(ids) for _ in range(args.get_calls)]
    for session_id in sample[:200]:
        api.get(session_id)
    iterator = iter(sample)
    get_grpcio = timed(len(sample), lambda: api.get(next(iterator)))
    s = summary_ms(get_grpcio)
    log(f"GetSession (grpcio, {len(sample)} calls): p50 {s['p50']:.2f} ms, p99 {s['p99']:.2f} ms, max {s['max']:.2f} ms")
    get_h2load = measure_get_h2load(api, ids[len(ids) // 2], args)

    # ListSessions.
    for _ in range(5):
        api.list_page(100)
    first_page = timed(args.list_calls, lambda: api.list_page(100))
    page = api.list_page(100)
    filtered = timed(args.list_calls, lambda: api.list_page(100, labels={"bench-group": "7"}))
    filtered_count = len(api.list_page(1000, labels={"bench-group": "7"}).sessions)
    full, full_pages, full_count = [], 0, 0
    for _ in range(args.full_listings):
        start = time.perf_counter()
        sessions, full_pages = api.list_all(1000)
        full.append(time.perf_counter() - start)
        full_count = len(sessions)
    log(f"ListSessions first page (100): p50 {summary_ms(first_page)['p50']:.1f} ms; "
        f"all {full_count} in pages of 1000: median {statistics.median(full) * 1000:.0f} ms")

    # The gateway at rest with this many sessions: its periodic reconcile passes.
    at_rest = proc_status(pid)
    idle_start, cpu_start = time.monotonic(), cpu_seconds(pid)
    time.sleep(args.idle_seconds)
    idle_cpu = (cpu_seconds(pid) - cpu_start) / (time.monotonic() - idle_start)
    final = proc_status(pid)
    log(f"gateway at rest: {idle_cpu * 100:.0f}% of a CPU; VmRSS {at_rest['rss_kib'] / 1024:.1f} → "
        f"{final['rss_kib'] / 1024:.1f} MiB over {args.idle_seconds:.0f} s, VmHWM {final['hwm_kib'] / 1024:.1f} MiB")
    return {
        "get_grpcio_ms": summary_ms(get_grpcio), "get_h2load": get_h2load,
        "list_first_page_ms": summary_ms(first_page), "list_first_page_bytes": page.ByteSize(),
        "list_filtered_ms": summary_ms(filtered), "list_filtered_matches": filtered_count,
        "list_full_ms": summary_ms(full), "list_full_pages": full_pages, "list_full_count": full_count,
        "list_calls": args.list_calls, "full_listings": args.full_listings,
        "gateway_at_rest_start": at_rest, "gateway_final": final, "idle_cpu_fraction": idle_cpu,
        "idle_seconds": args.idle_seconds,
    }


def measure_quiet(api, args, pid):
    """The same store after a restart with the periodic reconcile pass an hour apart:
    how long recovery takes, and the API without the pass competing for the CPU."""
    log("restarted gateway: waiting for its start-up recovery and first reconcile pass to finish")
    start = time.monotonic()
    cpu_before, quiet_samples = cpu_seconds(pid), 0
    while quiet_samples < 2:
        if time.monotonic() - start > 300:
            raise RuntimeError("the restarted gateway was still busy after 300 s")
        time.sleep(1)
        cpu_now = cpu_seconds(pid)
        quiet_samples = quiet_samples + 1 if cpu_now - cpu_before < 0.15 else 0
        cpu_before = cpu_now
    settled = time.monotonic() - start - 2
    startup = proc_status(pid)
    sessions, _ = api.list_all()
    ids = [s.id for s in sessions]
    log(f"settled after {settled:.0f} s with {len(ids)} sessions; VmRSS {startup['rss_kib'] / 1024:.1f} MiB")
    reads = measure_reads(api, args, pid, ids)
    full = FILL_ENVIRONMENT.format(0)
    full_size = sum(1 for s in sessions if s.spec.compute_environment == full)
    quota_probe = measure_create_by_environment_size(api, args, full, full_size)
    return {"stored": len(ids), "settle_seconds": settled, "gateway_settled": startup,
            "create_by_environment_size": quota_probe, **reads}


def measure_create_by_environment_size(api, args, full, full_size):
    """CreateSession acknowledgement time, one call at a time, into a filled environment
    and into an empty one: the cost of the disk-limit check's reading every session of
    the environment."""
    if args.quota_probe_creates <= 0 or full_size == 0:
        return None
    result = {}
    for environment, size in ((EMPTY_ENVIRONMENT, 0), (full, full_size)):
        durations = []
        for index in range(args.quota_probe_creates):
            start = time.perf_counter()
            api.create(f"bench-probe-{environment}-{index:02d}", EXITS, {"bench-phase": "probe"}, environment)
            durations.append(time.perf_counter() - start)
        result[environment] = {"sessions_in_environment": size, "ms": summary_ms(durations)}
    empty, filled = result[EMPTY_ENVIRONMENT]["ms"]["p50"], result[full]["ms"]["p50"]
    log(f"CreateSession, one at a time: median {empty:.1f} ms into an empty compute environment, "
        f"{filled:.1f} ms into one holding {full_size} sessions")
    return result


def measure_get_h2load(api, session_id, args):
    """GetSession timed by h2load (C, one connection, one call at a time): the gateway's
    latency without the Python client's overhead. None when h2load is missing."""
    if args.h2load_calls <= 0 or not shutil_which("h2load"):
        return None
    session = api.get(session_id)  # checks the id and token with grpcio first
    body = api.ss.GetSessionRequest(session_id=session_id).SerializeToString()
    with tempfile.TemporaryDirectory(prefix="gateway-bench-h2load-") as work:
        request_path, log_path = os.path.join(work, "request.bin"), os.path.join(work, "requests.log")
        with open(request_path, "wb") as f:
            f.write(b"\x00" + len(body).to_bytes(4, "big") + body)
        url = f"http://{api.address}/sessiongw.v1.SessionService/GetSession"
        headers = ["-H", "content-type: application/grpc", "-H", "te: trailers",
                   "-H", f"authorization: Bearer {api.token}"]
        command = ["h2load", "-c", "1", "-m", "1", "-t", "1", "-d", request_path, *headers]
        subprocess.run([*command, "-n", "500", url], check=True, capture_output=True)  # warm-up
        result = subprocess.run([*command, "-n", str(args.h2load_calls), f"--log-file={log_path}", url],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"h2load failed: {result.stdout}{result.stderr}")
        durations, failed = [], 0
        with open(log_path) as f:
            for line in f:
                _, status, microseconds = line.split("\t")[:3]
                if status != "200":
                    failed += 1
                durations.append(int(microseconds) / 1e6)
    # h2load does not read grpc-status; a refused call would answer with no message, so
    # check that every response carried the session (5-byte frame header + message).
    expected = len(durations) * (5 + session.ByteSize())
    data = parse_h2load_data_bytes(result.stdout)
    if failed or data is None or data < expected:
        raise RuntimeError(f"h2load GetSession: {failed} failed, {data} response bytes for {expected} expected:\n"
                           f"{result.stdout}")
    s = summary_ms(durations)
    log(f"GetSession (h2load, {len(durations)} calls): p50 {s['p50']:.2f} ms, p99 {s['p99']:.2f} ms, "
        f"max {s['max']:.2f} ms")
    return {"ms": s, "version": h2load_version()}


def shutil_which(name):
    import shutil
    return shutil.which(name)


def h2load_version():
    result = subprocess.run(["h2load", "--version"], capture_output=True, text=True)
    return result.stdout.strip().splitlines()[0] if result.returncode == 0 else "h2load"


def parse_h2load_data_bytes(output):
    import re
    match = re.search(r"^traffic: .*?\(\d+\) total, .*?\(\d+\) headers .*?, .*?\((\d+)\) data", output, re.MULTILINE)
    return int(match.group(1)) if match else None


# --- commands ------------------------------------------------------------------------------------

def command_run(args):
    pb = load_stubs(args.stubs)
    with open(args.token_file) as f:
        token = f.read().strip()
    api = Api(pb, args.address, token)
    phases = set(args.phases.split(","))
    results = {}
    if os.path.exists(args.out):  # a later phase adds to the results of the earlier ones
        with open(args.out) as f:
            results = json.load(f)
    results.setdefault("settings", {k: v for k, v in vars(args).items() if k not in ("func",)})
    results.setdefault("gateway_start", proc_status(args.pid))
    results.setdefault("load_average_before", read_load_average())
    started, earlier = time.perf_counter(), results.get("seconds", 0)

    def save():
        results["seconds"] = earlier + time.perf_counter() - started
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)

    if "create" in phases and args.create_sessions > 0:
        results["command_startup_ms"] = measure_command_startup(20)
        results["create"] = measure_create_latency(api, args.create_sessions, args.pid)
        save()
    if "watch" in phases and args.watchers > 0:
        results["watch"] = measure_watch(api, args, args.pid)
        save()
    if "stored" in phases and args.stored_sessions > 0:
        results["stored"] = measure_stored(api, args, args.pid)
        save()
    if "quiet" in phases:
        results["quiet"] = measure_quiet(api, args, args.pid)
        save()
    results["load_average_after"] = read_load_average()
    save()


def read_load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def command_watchers(args):
    asyncio.run(watcher_main(args))


def command_cleanup(args):
    pb = load_stubs(args.stubs)
    with open(args.token_file) as f:
        api = Api(pb, args.address, f.read().strip())
    sessions, _ = api.list_all()
    failed = api.state("FAILED")
    if args.keep_failed:
        # FAILED sessions whose command exited hold no process; the data directory goes
        # with them. One that failed its readiness check may: kill-leftovers finds it.
        sessions = [s for s in sessions if s.state != failed]
    if not sessions:
        return
    log(f"deleting {len(sessions)} session(s) through the API")
    ids = [s.id for s in sessions]

    def delete(session_id):
        try:
            api.delete(session_id, force=True)
        except api.grpc.RpcError as error:
            if error.code() != api.grpc.StatusCode.NOT_FOUND:
                return f"{session_id}: {error.code().name}: {error.details()}"
        return None

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        errors = [e for e in pool.map(delete, ids) if e]
    if errors:
        log(f"{len(errors)} DeleteSession call(s) failed, first: {errors[0]}")
    left = api.wait_gone(ids, args.timeout)
    if left:
        sys.exit(f"{len(left)} session(s) still stored after {args.timeout} s")


def command_kill_leftovers(args):
    """SIGKILLs the processes of the benchmark's sessions that outlived the gateway."""
    # Each Local compute environment keeps its sessions under DIR/environments/<id>/local.
    ids = set()
    environments_dir = os.path.join(args.data_dir, "environments")
    for environment in (os.listdir(environments_dir) if os.path.isdir(environments_dir) else []):
        sessions_dir = os.path.join(environments_dir, environment, "local", "sessions")
        if os.path.isdir(sessions_dir):
            ids.update(os.listdir(sessions_dir))
    if not ids:
        return
    killed = []
    for _ in range(5):
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    environment = f.read().split(b"\0")
            except OSError:
                continue
            for variable in environment:
                if variable.startswith(b"SESSION_ID=") and variable[11:].decode(errors="replace") in ids:
                    found.append(int(entry))
                    break
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
    if killed:
        log(f"killed {len(set(killed))} leftover session process(es)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    stubs = commands.add_parser("stubs")
    stubs.add_argument("directory")
    stubs.set_defaults(func=lambda a: generate_stubs(a.directory))

    def connection(p):
        p.add_argument("--address", required=True)
        p.add_argument("--token-file", required=True)
        p.add_argument("--stubs", required=True)

    run = commands.add_parser("run")
    connection(run)
    run.add_argument("--pid", type=int, required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--phases", default="create,watch,stored",
                     help="comma-separated: create, watch, stored, quiet (after a restart; adds to --out)")
    run.add_argument("--create-sessions", type=int, default=100)
    run.add_argument("--watchers", type=int, default=1000)
    run.add_argument("--watch-processes", type=int, default=2)
    run.add_argument("--watch-channels", type=int, default=10)
    run.add_argument("--watch-rounds", type=int, default=5)
    run.add_argument("--stored-sessions", type=int, default=10000)
    run.add_argument("--concurrency", type=int, default=32)
    run.add_argument("--fill-environments", type=int, default=20)
    run.add_argument("--quota-probe-creates", type=int, default=10)
    run.add_argument("--get-calls", type=int, default=2000)
    run.add_argument("--h2load-calls", type=int, default=5000)
    run.add_argument("--list-calls", type=int, default=100)
    run.add_argument("--full-listings", type=int, default=5)
    run.add_argument("--idle-seconds", type=float, default=20)
    run.set_defaults(func=command_run)

    watchers = commands.add_parser("watchers")
    connection(watchers)
    watchers.add_argument("--streams", type=int, required=True)
    watchers.add_argument("--channels", type=int, required=True)
    watchers.add_argument("--session-id", required=True)
    watchers.set_defaults(func=command_watchers)

    cleanup = commands.add_parser("cleanup")
    connection(cleanup)
    cleanup.add_argument("--timeout", type=float, default=120)
    cleanup.add_argument("--keep-failed", action="store_true",
                         help="leave FAILED sessions (the stored ones hold no process)")
    cleanup.set_defaults(func=command_cleanup)

    leftovers = commands.add_parser("kill-leftovers")
    leftovers.add_argument("--data-dir", required=True)
    leftovers.set_defaults(func=command_kill_leftovers)

    args = parser.parse_args()
    # SIGTERM (from scripts/bench-gateway.sh when it is interrupted) unwinds like Ctrl-C, so
    # the `finally` blocks stop the watcher processes and delete the sessions they can.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.func(args)


if __name__ == "__main__":
    main()
