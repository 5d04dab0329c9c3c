"""Measures terminals through the gateway and the session agent (a Local session of a
`sessiongw serve`), through sessiongw-agent alone, and on a direct local PTY, in one run:
keystroke-to-echo round trips (one byte typed, its echo read back) and output
throughput (bytes a command prints, read by the client). Prints a JSON report; with
--doc, writes the terminal section of docs/benchmarks.md.

Usage: terminal_bench.py --bin DIR --work DIR [--keystrokes N] [--megabytes M] [--doc PATH]
"""
import argparse
import importlib
import json
import os
import platform
import pty
import queue
import select
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests"))
import testkit  # noqa: E402
import report_doc  # noqa: E402

ECHO_COMMAND = ["/bin/cat"]


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def throughput_command(megabytes):
    # Printable output (no NULs the line discipline might treat specially), then a marker.
    return ["/bin/sh", "-c", f"sleep 0.3; head -c {megabytes * 1_000_000} /dev/zero | tr '\\0' x; echo; echo BENCH-END"]


# MARK: direct PTY

def direct_echo(keystrokes):
    pid, master = pty.fork()
    if pid == 0:
        os.execv(ECHO_COMMAND[0], ECHO_COMMAND)
    samples = []
    try:
        time.sleep(0.2)
        for index in range(keystrokes):
            key = b"abcdefghij"[index % 10:index % 10 + 1]
            start = time.perf_counter()
            os.write(master, key)
            received = b""
            while key not in received:
                received += os.read(master, 4096)
            samples.append(time.perf_counter() - start)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(master)
    return samples


def timed_output(chunks):
    """Bytes of `chunks` up to the end marker, and the seconds from the first byte."""
    total, first, tail = 0, None, b""
    for chunk in chunks:
        if not chunk:
            continue
        if first is None:
            first = time.perf_counter()
        total += len(chunk)
        tail = (tail + chunk)[-32:]
        if b"BENCH-END" in tail:
            break
    return total, time.perf_counter() - first


def direct_throughput(megabytes):
    command = throughput_command(megabytes)
    pid, master = pty.fork()
    if pid == 0:
        os.execv(command[0], command)

    def chunks():
        while True:
            select.select([master], [], [])
            try:
                yield os.read(master, 65536)
            except OSError:
                return

    try:
        return timed_output(chunks())
    finally:
        os.waitpid(pid, 0)
        os.close(master)


# MARK: over AttachTerminal (the agent's API, or the gateway's)

def attached_echo(attach, pb, keystrokes):
    requests, responses = attach("echo", ECHO_COMMAND)
    time.sleep(0.2)
    samples = []
    for index in range(keystrokes):
        key = b"abcdefghij"[index % 10:index % 10 + 1]
        start = time.perf_counter()
        requests.put(pb.AttachTerminalRequest(input=key))
        received = b""
        while key not in received:
            received += next(responses).output
        samples.append(time.perf_counter() - start)
    requests.put(None)
    responses.cancel()
    return samples


def attached_throughput(attach, megabytes, name):
    requests, responses = attach(name, throughput_command(megabytes))
    measured = timed_output(response.output for response in responses)
    requests.put(None)
    responses.cancel()
    return measured


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Agent:
    """sessiongw-agent on 127.0.0.1, called directly."""

    def __init__(self, binary, work):
        self.token = uuid.uuid4().hex
        token_file = os.path.join(work, "token")
        with open(token_file, "w") as handle:
            handle.write(self.token)
        self.process = testkit.LoggedProcess(
            [binary, "--listen", "127.0.0.1:0", "--token-file", token_file,
             "--state-directory", os.path.join(work, "terminals"), "--working-directory", work],
            os.path.join(work, "agent.log"), "sessiongw-agent")
        address = self.process.wait_for(r"sessiongw-agent listening on (\S+)", timeout=30).group(1)
        stubs = testkit.generate_stubs(os.path.join(work, "stubs"), ["sessiongw/agent/v1/agent.proto"])
        sys.path.insert(0, str(stubs))
        self.pb = importlib.import_module("sessiongw.agent.v1.agent_pb2")
        grpc_module = importlib.import_module("sessiongw.agent.v1.agent_pb2_grpc")
        import grpc
        self.channel = grpc.insecure_channel(address.removeprefix("h2c://"))
        self.stub = grpc_module.AgentServiceStub(self.channel)
        self.metadata = [("authorization", f"Bearer {self.token}")]

    def attach(self, name, command):
        self.stub.CreateTerminal(self.pb.CreateTerminalRequest(name=name, command=command), metadata=self.metadata,
                                 timeout=30)
        requests = queue.Queue()
        requests.put(self.pb.AttachTerminalRequest(open=self.pb.AttachTerminalRequest.Open(name=name)))
        responses = self.stub.AttachTerminal(iter(requests.get, None), metadata=self.metadata)
        return requests, responses

    def close(self):
        self.channel.close()
        self.process.stop()


class Gateway:
    """`sessiongw serve` on its embedded default with one Local session (whose agent runs
    in the session's sandbox), called through the gateway's TerminalService."""

    def __init__(self, bin_dir, work):
        data = os.path.join(work, "gateway")
        address = f"127.0.0.1:{testkit.free_port()}"
        self.process = testkit.LoggedProcess(
            [os.path.join(bin_dir, "sessiongw"), "serve", "--data-dir", data, "--listen", address],
            os.path.join(work, "gateway.log"), "gateway")
        self.process.wait_for(r"^authenticate with:", 60)
        with open(os.path.join(data, "admin-token")) as handle:
            self.metadata = [("authorization", f"Bearer {handle.read().strip()}")]
        stubs = testkit.generate_stubs(os.path.join(work, "gateway-stubs"), [
            "sessiongw/v1/types.proto", "sessiongw/v1/session_service.proto", "sessiongw/v1/terminal_service.proto"])
        sys.path.insert(0, str(stubs))
        types = importlib.import_module("sessiongw.v1.types_pb2")
        sessions = importlib.import_module("sessiongw.v1.session_service_pb2")
        session_stubs = importlib.import_module("sessiongw.v1.session_service_pb2_grpc")
        self.pb = importlib.import_module("sessiongw.v1.terminal_service_pb2")
        terminal_stubs = importlib.import_module("sessiongw.v1.terminal_service_pb2_grpc")
        import grpc
        self.channel = grpc.insecure_channel(address)
        self.sessions = session_stubs.SessionServiceStub(self.channel)
        self.stub = terminal_stubs.TerminalServiceStub(self.channel)
        spec = types.SessionSpec(preset="notebook", image="python3", compute_environment="local")
        self.session = self.sessions.CreateSession(
            sessions.CreateSessionRequest(name="bench", spec=spec), metadata=self.metadata, timeout=60).id
        deadline = time.monotonic() + 120
        while self.sessions.GetSession(sessions.GetSessionRequest(session_id=self.session), metadata=self.metadata,
                                       timeout=30).state != types.SESSION_STATE_RUNNING:
            if time.monotonic() > deadline:
                raise RuntimeError("the benchmark session did not become RUNNING within 120 s")
            time.sleep(0.2)
        self.delete = lambda: self.sessions.DeleteSession(
            sessions.DeleteSessionRequest(session_id=self.session, force=True), metadata=self.metadata, timeout=60)

    def attach(self, name, command):
        self.stub.CreateTerminal(self.pb.CreateTerminalRequest(session_id=self.session, name=name, command=command),
                                 metadata=self.metadata, timeout=30)
        requests = queue.Queue()
        requests.put(self.pb.AttachTerminalRequest(open=self.pb.AttachTerminalRequest.Open(
            session_id=self.session, name=name)))
        responses = self.stub.AttachTerminal(iter(requests.get, None), metadata=self.metadata)
        return requests, responses

    def close(self):
        try:
            self.delete()
        finally:
            self.channel.close()
            self.process.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--keystrokes", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--doc")
    arguments = parser.parse_args()

    load_before = os.getloadavg()
    direct_samples = direct_echo(arguments.keystrokes)
    agent = Agent(os.path.join(arguments.bin, "sessiongw-agent"), arguments.work)
    gateway = Gateway(arguments.bin, arguments.work)
    try:
        agent_samples = attached_echo(agent.attach, agent.pb, arguments.keystrokes)
        gateway_samples = attached_echo(gateway.attach, gateway.pb, arguments.keystrokes)
        # Throughput in interleaved rounds (direct, agent, gateway, again), so that a change
        # in the shared machine's load falls on all three; each path's median is reported.
        rates = {"direct": [], "agent": [], "gateway": []}
        for round in range(arguments.rounds):
            for path, measure in (("direct", lambda: direct_throughput(arguments.megabytes)),
                                  ("agent", lambda: attached_throughput(agent.attach, arguments.megabytes, f"flood-{round}")),
                                  ("gateway", lambda: attached_throughput(gateway.attach, arguments.megabytes, f"flood-{round}"))):
                sent, seconds = measure()
                rates[path].append(sent / seconds / 1e6)
        peak_rss = peak_rss_kib(agent.process.pid)
    finally:
        agent.close()
        gateway.close()

    def quantiles(samples):
        return {"p50": percentile(samples, 0.5) * 1e3, "p99": percentile(samples, 0.99) * 1e3}

    report = {
        "keystrokes": arguments.keystrokes,
        "direct_echo_ms": quantiles(direct_samples),
        "agent_echo_ms": quantiles(agent_samples),
        "gateway_echo_ms": quantiles(gateway_samples),
        "direct_mb_per_s": statistics.median(rates["direct"]),
        "agent_mb_per_s": statistics.median(rates["agent"]),
        "gateway_mb_per_s": statistics.median(rates["gateway"]),
        "rounds_mb_per_s": rates,
        "megabytes": arguments.megabytes,
        "agent_peak_rss_mib": peak_rss / 1024,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }
    print(json.dumps(report, indent=2))
    if arguments.doc:
        write_doc(arguments.doc, report)


def write_doc(path, report):
    direct, agent, gateway = report["direct_echo_ms"], report["agent_echo_ms"], report["gateway_echo_ms"]
    echo_met = gateway["p99"] < 10
    throughput_met = report["gateway_mb_per_s"] >= 50
    text = f"""<!-- terminal-benchmark:begin -->
## Terminals: through the gateway and the session agent vs a direct PTY

Written by `scripts/bench-terminal.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.

- Machine: {report_doc.machine(with_memory=True)}; gateway, agent, commands and client share it. Load average {' '.join(f'{x:.2f}' for x in report['load_before'])} before, {' '.join(f'{x:.2f}' for x in report['load_after'])} after.
- Through the gateway: `sessiongw serve` (release build) on its embedded default, one Local session whose `sessiongw-agent` runs in the session's sandbox, and a Python grpcio {importlib.import_module('grpc').__version__} client attached over the gateway's `TerminalService.AttachTerminal` (the gateway forwards to the agent). Through the agent alone: `sessiongw-agent` on 127.0.0.1, called directly. Directly: the same commands on a PTY from Python's `pty.fork`, read and written by the same Python (Python {platform.python_version()}).
- Echo: {report['keystrokes']} single keystrokes typed one after another into `cat` (the terminal's line discipline echoes each); the time from sending one to reading its echo. Throughput: {report['megabytes']} MB of output from `head -c … /dev/zero | tr '\\0' x`, from the first byte to the end marker, in {len(report['rounds_mb_per_s']['gateway'])} interleaved rounds (direct, agent, gateway); the table gives each path's median (gateway rounds: {', '.join(f'{x:.0f}' for x in report['rounds_mb_per_s']['gateway'])} MB/s).

| Target (through the gateway) | Gateway + agent | Agent alone | Direct PTY | Ratio to direct | Status |
|---|---|---|---|---|---|
| keystroke-to-echo p99 < 10 ms | p99 {gateway['p99']:.2f} ms, p50 {gateway['p50']:.2f} ms | p99 {agent['p99']:.2f} ms, p50 {agent['p50']:.2f} ms | p99 {direct['p99']:.3f} ms, p50 {direct['p50']:.3f} ms | p50 ×{gateway['p50'] / direct['p50']:.1f} | {report_doc.verdict(echo_met)} |
| output throughput ≥ 50 MB/s | {report['gateway_mb_per_s']:.0f} MB/s | {report['agent_mb_per_s']:.0f} MB/s | {report['direct_mb_per_s']:.0f} MB/s | {report['gateway_mb_per_s'] / report['direct_mb_per_s']:.2f} | {report_doc.verdict(throughput_met)} |

Agent peak RSS (the directly called one) during the run: {report['agent_peak_rss_mib']:.1f} MiB. The direct PTY's throughput is bounded by the same Python client reading it, so the ratio is against what one Python reader takes from a bare PTY; the agent reads the PTY in chunks of up to 64 KiB. Every process here (the command, the kernel's PTY work, agent, gateway, client) shares two cores, so throughput through the gateway is bounded by the CPU all of them take per byte.
<!-- terminal-benchmark:end -->
"""
    report_doc.replace_section(path, text, "<!-- terminal-benchmark:begin -->", "<!-- terminal-benchmark:end -->")


if __name__ == "__main__":
    main()
