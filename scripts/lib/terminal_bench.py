"""Measures terminals through sessiongw-agent against a direct local PTY, in one run:
keystroke-to-echo round trips (one byte typed, its echo read back) and output
throughput (bytes a command prints, read by the client). Prints a JSON report; with
--doc, writes the terminal section of docs/benchmarks.md.

Usage: terminal_bench.py --agent BIN --work DIR [--keystrokes N] [--megabytes M] [--doc PATH]
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


# MARK: through the agent

class Agent:
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

    def echo(self, keystrokes):
        requests, responses = self.attach("echo", ECHO_COMMAND)
        time.sleep(0.2)
        samples = []
        for index in range(keystrokes):
            key = b"abcdefghij"[index % 10:index % 10 + 1]
            start = time.perf_counter()
            requests.put(self.pb.AttachTerminalRequest(input=key))
            received = b""
            while key not in received:
                received += next(responses).output
            samples.append(time.perf_counter() - start)
        requests.put(None)
        responses.cancel()
        return samples

    def throughput(self, megabytes):
        requests, responses = self.attach("flood", throughput_command(megabytes))
        measured = timed_output(response.output for response in responses)
        requests.put(None)
        responses.cancel()
        return measured

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        self.channel.close()
        self.process.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--keystrokes", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--doc")
    arguments = parser.parse_args()

    load_before = os.getloadavg()
    direct_samples = direct_echo(arguments.keystrokes)
    direct_bytes, direct_seconds = direct_throughput(arguments.megabytes)
    agent = Agent(arguments.agent, arguments.work)
    try:
        agent_samples = agent.echo(arguments.keystrokes)
        agent_bytes, agent_seconds = agent.throughput(arguments.megabytes)
        peak_rss = agent.rss_kib()
    finally:
        agent.close()
    report = {
        "keystrokes": arguments.keystrokes,
        "direct_echo_ms": {"p50": percentile(direct_samples, 0.5) * 1e3, "p99": percentile(direct_samples, 0.99) * 1e3},
        "agent_echo_ms": {"p50": percentile(agent_samples, 0.5) * 1e3, "p99": percentile(agent_samples, 0.99) * 1e3},
        "direct_mb_per_s": direct_bytes / direct_seconds / 1e6,
        "agent_mb_per_s": agent_bytes / agent_seconds / 1e6,
        "megabytes": arguments.megabytes,
        "agent_peak_rss_mib": peak_rss / 1024,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }
    print(json.dumps(report, indent=2))
    if arguments.doc:
        write_doc(arguments.doc, report)


def write_doc(path, report):
    direct, agent = report["direct_echo_ms"], report["agent_echo_ms"]
    echo_met = agent["p99"] < 10
    throughput_met = report["agent_mb_per_s"] >= 50
    text = f"""<!-- terminal-benchmark:begin -->
## Terminals: through the session agent vs a direct PTY

Written by `scripts/bench-terminal.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.

- Machine: {report_doc.machine(with_memory=True)}; agent, commands and client share it. Load average {' '.join(f'{x:.2f}' for x in report['load_before'])} before, {' '.join(f'{x:.2f}' for x in report['load_after'])} after.
- Through the agent: `sessiongw-agent` (release build) on 127.0.0.1, a Python grpcio {importlib.import_module('grpc').__version__} client attached to a terminal over `AttachTerminal` (Python {platform.python_version()}). Directly: the same commands on a PTY from Python's `pty.fork`, read and written by the same Python.
- Echo: {report['keystrokes']} single keystrokes typed one after another into `cat` (the terminal's line discipline echoes each); the time from sending one to reading its echo. Throughput: {report['megabytes']} MB of output from `head -c … /dev/zero | tr '\\0' x`, from the first byte to the end marker.
- Not yet through the gateway: the gateway's TerminalService comes next; this is the agent's share of the path.

| Target | Result | Status |
|---|---|---|
| keystroke-to-echo p99 < 10 ms | {agent['p99']:.2f} ms (p50 {agent['p50']:.2f} ms); direct PTY p99 {direct['p99']:.3f} ms (p50 {direct['p50']:.3f} ms) | {report_doc.verdict(echo_met)} |
| output throughput ≥ 50 MB/s | {report['agent_mb_per_s']:.0f} MB/s; direct PTY {report['direct_mb_per_s']:.0f} MB/s (ratio {report['agent_mb_per_s'] / report['direct_mb_per_s']:.2f}) | {report_doc.verdict(throughput_met)} |

Agent peak RSS during the run: {report['agent_peak_rss_mib']:.1f} MiB.
<!-- terminal-benchmark:end -->
"""
    report_doc.replace_section(path, text, "<!-- terminal-benchmark:begin -->", "<!-- terminal-benchmark:end -->")


if __name__ == "__main__":
    main()
