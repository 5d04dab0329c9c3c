#!/usr/bin/env python3
"""Records transport benchmark runs and writes their section of docs/benchmarks.md.

  transport_report.py loads
      Prints the loads, one a line: NAME CONNECTIONS STREAMS CALL (CALL is unary,
      large or stream), for bench-transport.sh to drive.
  transport_report.py record RESULTS.jsonl --server S --load L --round N
                             --h2load-output FILE [--h2load-log FILE] [--peak-rss-kib KIB]
                             [--cpu-seconds SECONDS]
      Parses one h2load run, fails unless every request succeeded with a 2xx status,
      appends it (with p99 latency from h2load's per-request log and the server's CPU
      time per 100,000 calls) to RESULTS.jsonl and prints a summary line.
  transport_report.py record-idle RESULTS.jsonl --server S --round N --json FILE
      Appends one idle_connections.py measurement.
  transport_report.py write RESULTS.jsonl --doc docs/benchmarks.md [settings...]
      Prints the results and replaces (or appends) the section between the
      transport-benchmark markers in the document, leaving the rest untouched.
"""
import argparse
import datetime
import json
import re
import subprocess
import sys

from report_doc import machine, replace_section, verdict

BEGIN = "<!-- transport-benchmark:begin -->"
END = "<!-- transport-benchmark:end -->"

OURS, THEIRS, CPP = "ours", "grpc-swift-2", "grpc-c++"
SERVERS = [OURS, THEIRS, CPP]
PEERS = [THEIRS, CPP]
SERVER_NAMES = {OURS: "ours (`rpc-interop-server`)", THEIRS: "grpc-swift-2", CPP: "gRPC C++"}
# name, connections, streams per connection, call (unary: the small Echo/Unary; large: a
# large Echo/Unary; stream: Echo/ServerStream), title
LOAD_TABLE = [
    ("1x1", 1, 1, "unary", "1 connection × 1 stream"),
    ("8x16", 8, 16, "unary", "8 connections × 16 streams"),
    ("64x32", 64, 32, "unary", "64 connections × 32 streams"),
    ("stream", 1, 4, "stream", "Server streaming, 1 connection × 4 streams"),
    ("1mib", 1, 4, "large", "1 MiB unary, 1 connection × 4 streams"),
]
LOADS = [(name, title) for name, _, _, _, title in LOAD_TABLE]
CALLS = {name: call for name, _, _, call, _ in LOAD_TABLE}
THROUGHPUT_TARGET = 2.0
CALLS_PER_CPU_UNIT = 100_000
IDLE_TARGET_KIB = 64

UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


# --- h2load output -------------------------------------------------------------------------------

def duration_us(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unexpected h2load duration {text!r}")
    return float(match.group(1)) * UNITS_US[match.group(2)]


def parse_h2load(output):
    """The numbers of one h2load run; raises ValueError unless all requests succeeded."""
    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"h2load output has no line matching {pattern!r}")
        return match

    finished = find(r"^finished in [\d.]+\w*, ([\d.]+) req/s")
    requests = find(
        r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
        r"(\d+) failed, (\d+) errored, (\d+) timeout"
    )
    codes = find(r"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx")
    latency = find(r"^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)")

    started = int(requests.group(2))
    done, succeeded, failed, errored, timeout = (int(requests.group(i)) for i in range(3, 8))
    ok, redirects, client_errors, server_errors = (int(codes.group(i)) for i in range(1, 5))
    problems = []
    if succeeded == 0:
        problems.append("no request succeeded")
    if failed or errored or timeout:
        problems.append(f"{failed} failed, {errored} errored, {timeout} timed out")
    # A call still streaming when a timed run stops has its 2xx counted but is not done.
    if redirects or client_errors or server_errors or not succeeded <= ok <= succeeded + started - done:
        problems.append(
            f"status codes {ok} 2xx, {redirects} 3xx, {client_errors} 4xx, {server_errors} 5xx "
            f"for {succeeded} succeeded requests"
        )
    if problems:
        raise ValueError("h2load: " + "; ".join(problems))

    return {
        "requests_per_second": float(finished.group(1)),
        "requests": done,
        "latency_min_us": duration_us(latency.group(1)),
        "latency_max_us": duration_us(latency.group(2)),
        "latency_mean_us": duration_us(latency.group(3)),
    }


def p99_us(log_path):
    """The nearest-rank 99th percentile of the durations in h2load's --log-file, in µs."""
    durations = []
    with open(log_path) as log:
        for line in log:
            columns = line.split("\t")
            if len(columns) >= 3 and columns[1].startswith("2"):
                durations.append(int(columns[2]))
    if not durations:
        return None
    durations.sort()
    return float(durations[max(0, -(-99 * len(durations) // 100) - 1)])


# --- results file --------------------------------------------------------------------------------

def append(path, record):
    with open(path, "a") as results:
        results.write(json.dumps(record) + "\n")


def load_records(path):
    with open(path) as results:
        return [json.loads(line) for line in results if line.strip()]


def best_of(records, server, kind, load=None):
    """The best value of each metric over the rounds (highest throughput, lowest the rest)."""
    runs = [r for r in records if r["server"] == server and r["kind"] == kind
            and (load is None or r.get("load") == load)]
    if not runs:
        return None
    if kind == "idle":
        return {"per_connection_kib": min(r["per_connection_kib"] for r in runs),
                "connections": runs[0]["connections"], "rounds": len(runs)}
    best = {"requests_per_second": max(r["requests_per_second"] for r in runs), "rounds": len(runs)}
    for key in ("latency_mean_us", "latency_p99_us", "latency_max_us", "cpu_seconds_per_100k",
                "peak_rss_kib"):
        values = [r[key] for r in runs if r.get(key) is not None]
        best[key] = min(values) if values else None
    return best


# --- formatting ----------------------------------------------------------------------------------

def fmt_us(value):
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value / 1000:.2f} ms"
    return f"{value:.0f} µs"


def fmt_kib(value):
    if value is None:
        return "–"
    return f"{value / 1024:.1f} MiB" if value >= 10 * 1024 else f"{value:.1f} KiB"


def fmt_cpu(value):
    return "–" if value is None else f"{value:.2f} s"


def fmt_ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}×"






def h2load_version():
    result = subprocess.run(["h2load", "--version"], capture_output=True, text=True)
    return result.stdout.strip().splitlines()[0] if result.returncode == 0 else "unknown"


def resolved_version(package_resolved, identity):
    try:
        with open(package_resolved) as f:
            pins = json.load(f)["pins"]
    except (OSError, KeyError, ValueError):
        return None
    return next((p["state"].get("version") for p in pins if p["identity"] == identity), None)


# --- report --------------------------------------------------------------------------------------

def megabytes_per_second(best, load, sizes):
    """Response payload bytes per second, in MiB/s, for the loads where bandwidth matters."""
    call = CALLS[load]
    if best is None or call == "unary":
        return None
    per_call = sizes.large if call == "large" else sizes.stream_messages * sizes.stream_payload_size
    return best["requests_per_second"] * per_call / (1024 * 1024)


def load_table(records, load, sizes):
    bests = {server: best_of(records, server, "load", load) for server in SERVERS}
    bandwidth = CALLS[load] != "unary"
    lines = [
        "| Server | Calls/s |" + (" Response MiB/s |" if bandwidth else "")
        + " Mean latency | p99 latency | Max latency | CPU per 100k calls | Peak RSS |",
        "|---|---:|" + ("---:|" if bandwidth else "") + "---:|---:|---:|---:|---:|",
    ]
    for server in SERVERS:
        best = bests[server]
        if best is None:
            lines.append(f"| {SERVER_NAMES[server]} | not measured |" + (" |" if bandwidth else "")
                         + " | | | | |")
            continue
        mib = megabytes_per_second(best, load, sizes)
        lines.append(
            f"| {SERVER_NAMES[server]} | {best['requests_per_second']:,.0f} |"
            + (f" {mib:,.1f} |" if bandwidth else "")
            + f" {fmt_us(best['latency_mean_us'])} | {fmt_us(best.get('latency_p99_us'))} "
            f"| {fmt_us(best['latency_max_us'])} | {fmt_cpu(best.get('cpu_seconds_per_100k'))} "
            f"| {fmt_kib(best['peak_rss_kib'])} |"
        )
    ours = bests[OURS]
    for peer in PEERS:
        theirs = bests[peer]
        if not (ours and theirs):
            continue
        lines.append(
            f"| ours / {SERVER_NAMES[peer]} | {fmt_ratio(ours['requests_per_second'], theirs['requests_per_second'])} |"
            + (f" {fmt_ratio(ours['requests_per_second'], theirs['requests_per_second'])} |" if bandwidth else "")
            + f" {fmt_ratio(ours['latency_mean_us'], theirs['latency_mean_us'])} "
            f"| {fmt_ratio(ours.get('latency_p99_us'), theirs.get('latency_p99_us'))} "
            f"| {fmt_ratio(ours['latency_max_us'], theirs['latency_max_us'])} "
            f"| {fmt_ratio(ours.get('cpu_seconds_per_100k'), theirs.get('cpu_seconds_per_100k'))} "
            f"| {fmt_ratio(ours['peak_rss_kib'], theirs['peak_rss_kib'])} |"
        )
    return lines


def targets(records):
    """(target, result, met) rows; met is None when a server was not measured."""
    rows = []
    for load, title in LOADS[:2]:
        ours, theirs = best_of(records, OURS, "load", load), best_of(records, THEIRS, "load", load)
        both = ours is not None and theirs is not None
        ratio = ours["requests_per_second"] / theirs["requests_per_second"] if both else None
        rows.append((f"Throughput ≥ {THROUGHPUT_TARGET:g}× grpc-swift-2, {title}",
                     f"{ratio:.2f}×" if both else "–",
                     ratio >= THROUGHPUT_TARGET if both else None))
        for key, name in (("latency_mean_us", "Mean"), ("latency_max_us", "Max")):
            rows.append((f"{name} latency ≤ grpc-swift-2, {title}",
                         f"{fmt_us(ours[key])} vs {fmt_us(theirs[key])}" if both else "–",
                         ours[key] <= theirs[key] if both else None))
    for load, title in LOADS:
        ours, cpp = best_of(records, OURS, "load", load), best_of(records, CPP, "load", load)
        both = ours is not None and cpp is not None
        ratio = ours["requests_per_second"] / cpp["requests_per_second"] if both else None
        rows.append((f"Throughput ≥ gRPC C++, {title}", f"{ratio:.2f}×" if both else "–",
                     ratio >= 1 if both else None))
        cpu_known = both and ours.get("cpu_seconds_per_100k") and cpp.get("cpu_seconds_per_100k")
        rows.append((f"CPU per call ≤ gRPC C++, {title}",
                     f"{fmt_cpu(ours['cpu_seconds_per_100k'])} vs {fmt_cpu(cpp['cpu_seconds_per_100k'])} "
                     "per 100k calls" if cpu_known else "–",
                     ours["cpu_seconds_per_100k"] <= cpp["cpu_seconds_per_100k"] if cpu_known else None))
    idle = best_of(records, OURS, "idle")
    rows.append((f"Memory per idle connection < {IDLE_TARGET_KIB} KiB",
                 fmt_kib(idle["per_connection_kib"]) if idle else "–",
                 idle["per_connection_kib"] < IDLE_TARGET_KIB if idle else None))
    return rows


def runs_table(records):
    lines = [
        "| Round | Server | Load | Calls/s | Mean latency | p99 latency | Max latency "
        "| CPU per 100k calls | Peak RSS |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    load_order = [load for load, _ in LOADS]

    def order(r):
        position = load_order.index(r["load"]) if r["kind"] == "load" else len(load_order)
        return (position, SERVERS.index(r["server"]), r["round"])

    for r in sorted(records, key=order):
        if r["kind"] == "load":
            lines.append(
                f"| {r['round']} | {r['server']} | {r['load']} | {r['requests_per_second']:,.0f} "
                f"| {fmt_us(r['latency_mean_us'])} | {fmt_us(r.get('latency_p99_us'))} "
                f"| {fmt_us(r['latency_max_us'])} | {fmt_cpu(r.get('cpu_seconds_per_100k'))} "
                f"| {fmt_kib(r.get('peak_rss_kib'))} |"
            )
        else:
            lines.append(
                f"| {r['round']} | {r['server']} | {r['connections']} idle connections "
                f"| | | | | | {fmt_kib(r['per_connection_kib'])} each |"
            )
    return lines


def grpc_cpp_version():
    result = subprocess.run(["pkg-config", "--modversion", "grpc++"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else "?"


def section(records, args):
    grpc_swift = resolved_version(args.package_resolved, "grpc-swift-2") or "?"
    nio_transport = resolved_version(args.package_resolved, "grpc-swift-nio-transport") or "?"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    stream_bytes = args.stream_messages * args.stream_payload_size
    out = [
        BEGIN,
        "## Transport: our gRPC server vs grpc-swift-2 and gRPC C++",
        "",
        f"Written by `scripts/bench-transport.sh` on {now}. Re-run it to refresh this section "
        f"(this run took {args.elapsed_minutes:.0f} minutes, builds excluded).",
        "",
        f"- Machine: {machine()}; server and load generator share it. Load average "
        f"before the run: {args.load_average} (other work on the machine adds noise).",
        f"- Load generator: {h2load_version()}, `--threads {args.h2load_threads}`.",
        f"- Servers: ours is `rpc-interop-server` (libnghttp2 + libprotobuf-c); grpc-swift-2 "
        f"{grpc_swift} with grpc-swift-nio-transport {nio_transport} "
        f"(`Benchmarks/GRPCSwiftEcho`, HTTP2ServerTransport.Posix, default configuration); "
        f"gRPC C++ {grpc_cpp_version()} from Debian's libgrpc++-dev (`Benchmarks/GRPCCppEcho`, "
        f"the callback API, default server configuration, `-O2`). All release builds, "
        f"plaintext on 127.0.0.1. Each decodes and encodes the messages with protobuf "
        f"(grpc-swift-2's echoes the request bytes, which is wire-identical).",
        f"- Calls: unary `/sessiongw.benchmark.v1.Echo/Unary` with an `EchoMessage` of "
        f"{args.payload_size} payload bytes (the `1x1`, `8x16` and `64x32` loads) or "
        f"{fmt_bytes(args.large)} (`1mib`), echoed back; server-streaming "
        f"`/sessiongw.benchmark.v1.Echo/ServerStream` asking for {args.stream_messages:,} "
        f"messages of {args.stream_payload_size} bytes ({fmt_bytes(stream_bytes)} of payload per call). "
        f"Each server returned grpc-status 0 and the expected answers to every kind of call "
        f"(checked with grpcio) before it was measured, and h2load saw no failed request and "
        f"only 2xx statuses.",
        f"- Method: each load ran for {args.duration} s after a separate {args.warm_up} s "
        f"warm-up run of the same load, in {args.rounds} round(s) with the server order "
        f"alternated and a freshly started server per round. Tables show the best value of "
        f"each number over the rounds; all runs are listed below. p99 is the nearest-rank "
        f"99th percentile of h2load's per-request log (`--log-file`). CPU is the server's "
        f"utime + stime (`/proc/PID/stat`) over the measured run, per 100,000 completed calls. "
        f"Peak RSS is VmHWM, reset before each measured run. Idle memory is the VmRSS "
        f"growth of a fresh server while {args.idle_connections} HTTP/2 connections that "
        f"completed the SETTINGS exchange stay open, divided by their number. Ratios below "
        f"each table are ours divided by the peer's: above 1 is better for calls/s, below 1 "
        f"for the rest.",
        "",
    ]
    for load, title in LOADS:
        out += [f"### {title} (`{load}`)", "", *load_table(records, load, args), ""]

    out += ["### Idle connections", "", "| Server | Memory per idle connection |", "|---|---:|"]
    for server in SERVERS:
        idle = best_of(records, server, "idle")
        out.append(f"| {SERVER_NAMES[server]} | "
                   f"{fmt_kib(idle['per_connection_kib']) if idle else 'not measured'} |")
    out += ["", "### Targets", "", "| Target | Result | Status |", "|---|---|---|"]
    out += [f"| {target} | {result} | {verdict(met)} |" for target, result, met in targets(records)]
    out += ["", "<details><summary>All runs</summary>", "", *runs_table(records), "", "</details>",
            END]
    return "\n".join(out) + "\n"


def fmt_bytes(size):
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    if size >= 1024:
        return f"{size / 1024:,.1f} KiB"
    return f"{size} bytes"


def print_summary(records):
    for load, title in LOADS:
        print(f"\n{title}")
        for server in SERVERS:
            best = best_of(records, server, "load", load)
            if best:
                print(f"  {server:13} {best['requests_per_second']:>10,.0f} calls/s  "
                      f"mean {fmt_us(best['latency_mean_us']):>9}  "
                      f"p99 {fmt_us(best.get('latency_p99_us')):>9}  "
                      f"max {fmt_us(best['latency_max_us']):>9}  "
                      f"CPU {fmt_cpu(best.get('cpu_seconds_per_100k')):>7}/100k  "
                      f"peak RSS {fmt_kib(best['peak_rss_kib'])}")
    print("\nidle connections")
    for server in SERVERS:
        idle = best_of(records, server, "idle")
        if idle:
            print(f"  {server:13} {fmt_kib(idle['per_connection_kib'])} per connection")
    print("\ntargets")
    for target, result, met in targets(records):
        print(f"  {verdict(met).strip('*'):12} {target}: {result}")


# --- commands ------------------------------------------------------------------------------------

def command_record(args):
    with open(args.h2load_output) as f:
        try:
            numbers = parse_h2load(f.read())
        except ValueError as error:
            sys.exit(f"{args.server} {args.load} round {args.round}: {error} "
                     f"(full output: {args.h2load_output})")
    p99 = p99_us(args.h2load_log) if args.h2load_log else None
    cpu = (args.cpu_seconds / numbers["requests"] * CALLS_PER_CPU_UNIT
           if args.cpu_seconds is not None and numbers["requests"] else None)
    record = {"kind": "load", "server": args.server, "load": args.load, "round": args.round,
              **numbers, "latency_p99_us": p99, "cpu_seconds_per_100k": cpu,
              "peak_rss_kib": args.peak_rss_kib}
    append(args.results, record)
    print(f"  {args.server} {args.load} round {args.round}: "
          f"{numbers['requests_per_second']:,.0f} calls/s, mean {fmt_us(numbers['latency_mean_us'])}, "
          f"p99 {fmt_us(p99)}, max {fmt_us(numbers['latency_max_us'])}, "
          f"CPU {fmt_cpu(cpu)}/100k calls, peak RSS {fmt_kib(args.peak_rss_kib)}")


def command_record_idle(args):
    with open(args.json) as f:
        measurement = json.load(f)
    append(args.results, {"kind": "idle", "server": args.server, "round": args.round, **measurement})
    print(f"  {args.server} idle round {args.round}: "
          f"{fmt_kib(measurement['per_connection_kib'])} per connection "
          f"({measurement['connections']} connections)")


def command_loads(_args):
    for name, connections, streams, call, _ in LOAD_TABLE:
        print(name, connections, streams, call)


def command_write(args):
    records = load_records(args.results)
    print_summary(records)
    replace_section(args.doc, section(records, args), BEGIN, END)
    print(f"\nwrote the transport section of {args.doc}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    loads = commands.add_parser("loads")
    loads.set_defaults(run=command_loads)

    record = commands.add_parser("record")
    record.add_argument("results")
    record.add_argument("--server", required=True, choices=SERVERS)
    record.add_argument("--load", required=True, choices=[load for load, _ in LOADS])
    record.add_argument("--round", required=True, type=int)
    record.add_argument("--h2load-output", required=True)
    record.add_argument("--h2load-log")
    record.add_argument("--peak-rss-kib", type=int)
    record.add_argument("--cpu-seconds", type=float, help="server CPU time over the measured run")
    record.set_defaults(run=command_record)

    idle = commands.add_parser("record-idle")
    idle.add_argument("results")
    idle.add_argument("--server", required=True, choices=SERVERS)
    idle.add_argument("--round", required=True, type=int)
    idle.add_argument("--json", required=True)
    idle.set_defaults(run=command_record_idle)

    write = commands.add_parser("write")
    write.add_argument("results")
    write.add_argument("--doc", required=True)
    write.add_argument("--package-resolved", required=True)
    write.add_argument("--duration", required=True)
    write.add_argument("--warm-up", required=True)
    write.add_argument("--rounds", required=True, type=int)
    write.add_argument("--payload-size", required=True, type=int)
    write.add_argument("--large-payload-size", dest="large", required=True, type=int)
    write.add_argument("--stream-messages", required=True, type=int)
    write.add_argument("--stream-payload-size", required=True, type=int)
    write.add_argument("--elapsed-minutes", type=float, default=0)
    write.add_argument("--idle-connections", required=True, type=int)
    write.add_argument("--h2load-threads", required=True, type=int)
    write.add_argument("--load-average", default="unknown", help="1, 5 and 15 minute averages")
    write.set_defaults(run=command_write)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
