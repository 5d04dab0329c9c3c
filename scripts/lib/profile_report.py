#!/usr/bin/env python3
"""Writes the callgrind profile of scripts/profile-transport.sh into docs/benchmarks.md.

Usage: profile_report.py --label L --calls N --top K --payload-size B --command CMD
                         --doc FILE (--load NAME INCLUSIVE.txt SELF.txt)...
INCLUSIVE.txt and SELF.txt are callgrind_annotate outputs with --inclusive=yes and
--inclusive=no. Swift names are demangled (`swift demangle --simplified`). The section
sits between `transport-profile-LABEL` markers and replaces the previous one of that label.
"""
import argparse
import datetime
import re
import subprocess
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_doc import machine, replace_section  # noqa: E402

ENTRY = re.compile(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*\S)\s*$")
NAME_WIDTH = 110
# Swift mangles a module name as its length and name: this marks RPCTransport's functions.
OUR_MODULE = "12RPCTransport"


def parse(path):
    """(total Ir, [(Ir, percent, function, object)]) from a callgrind_annotate output."""
    total, entries = None, []
    with open(path) as f:
        for line in f:
            match = ENTRY.match(line)
            if not match:
                continue
            ir, percent, rest = int(match.group(1).replace(",", "")), float(match.group(2)), match.group(3)
            if rest == "PROGRAM TOTALS":
                total = ir
                continue
            obj = ""
            object_match = re.search(r"\s\[([^\]]*)\]$", rest)
            if object_match:
                obj = os.path.basename(object_match.group(1))
                rest = rest[:object_match.start()]
            function = rest.split(":", 1)[1] if ":" in rest else rest
            entries.append((ir, percent, function, obj))
    if total is None:
        sys.exit(f"{path}: no PROGRAM TOTALS line; is it callgrind_annotate output?")
    return total, entries


def demangle(names):
    try:
        result = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names),
                                capture_output=True, text=True, check=True)
        demangled = result.stdout.splitlines()
        return demangled if len(demangled) == len(names) else names
    except (OSError, subprocess.CalledProcessError):
        return names


def short(name):
    name = name.replace("|", "\\|")
    return name if len(name) <= NAME_WIDTH else name[:NAME_WIDTH - 1] + "…"


def table(entries, top, calls):
    rows = entries[:top]
    names = demangle([function for _, _, function, _ in rows])
    lines = ["| Ir per call | % | Function | Object |", "|---:|---:|---|---|"]
    for (ir, percent, _, obj), name in zip(rows, names):
        lines.append(f"| {ir / calls:,.0f} | {percent:.1f} | `{short(name)}` | {obj} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--calls", required=True, type=int)
    parser.add_argument("--top", required=True, type=int)
    parser.add_argument("--payload-size", required=True, type=int)
    parser.add_argument("--command", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--load", nargs=3, action="append", required=True,
                        metavar=("NAME", "INCLUSIVE", "SELF"))
    args = parser.parse_args()

    begin, end = f"<!-- transport-profile-{args.label}:begin -->", f"<!-- transport-profile-{args.label}:end -->"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        begin,
        f"## Profile ({args.label})",
        "",
        f"Written by `{args.command}` on {now} ({valgrind}, {machine()}).",
        "",
        f"Our server (`rpc-interop-server`, release build, a copy without DWARF, which this "
        f"valgrind cannot read) ran under `valgrind --tool=callgrind --instr-atstart=no` while "
        f"h2load made {args.calls:,} unary `/sessiongw.benchmark.v1.Echo/Unary` calls "
        f"({args.payload_size}-byte payload, one h2load thread). Instrumentation was switched "
        f"on after 1,000 warm-up calls (`callgrind_control --instr=on`) and off after the "
        f"measured ones, and the profile written when the server exited, so neither start-up "
        f"nor shutdown is in it. All threads are summed. Ir is instructions executed, which "
        f"does not depend on other work on the machine; the tables divide it by the number of "
        f"calls. Inclusive counts a function with everything it calls (thread entry points "
        f"and the event loop come first; a share above 100% is recursion, which callgrind "
        f"counts at every level, and a name ending in '2 is a recursive activation); self "
        f"counts only its own instructions. Reproduce "
        f"with the command above (`PROFILE_KEEP=DIR` keeps the callgrind files for "
        f"`callgrind_annotate` or KCachegrind).",
        "",
    ]
    summary = []
    for name, inclusive_path, self_path in args.load:
        connections, streams = name.split("x")
        total, inclusive = parse(inclusive_path)
        _, own = parse(self_path)
        summary.append(f"| {connections} connection(s) × {streams} stream(s) | {total:,} | {total / args.calls:,.0f} |")
        ours = [entry for entry in inclusive if OUR_MODULE in entry[2]]
        out += [
            f"### {connections} connection(s) × {streams} stream(s): {total / args.calls:,.0f} instructions per call",
            "",
            f"Top {args.top} inclusive:",
            "",
            *table(inclusive, args.top, args.calls),
            "",
            f"Top {args.top} inclusive in RPCTransport (our transport's own functions and "
            f"specializations of them):",
            "",
            *table(ours, args.top, args.calls),
            "",
            f"Top {args.top} self:",
            "",
            *table(own, args.top, args.calls),
            "",
        ]
    # The totals go first, after the introduction (the first 7 lines).
    out[7:7] = ["| Load | Instructions (Ir) | Ir per call |", "|---|---:|---:|", *summary, ""]
    out.append(end)
    text = "\n".join(out) + "\n"
    replace_section(args.doc, text, begin, end)
    print(text)
    print(f"wrote the profile section of {args.doc}")


if __name__ == "__main__":
    main()
