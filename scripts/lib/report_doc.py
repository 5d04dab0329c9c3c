"""What the benchmark reports share: verdicts, the machine's description, and replacing
one marked section of docs/benchmarks.md while keeping the others."""
import os
import platform
import sys


def verdict(met):
    """The status cell of a target: met, not met, or not measured (None)."""
    return "not measured" if met is None else ("**met**" if met else "**not met**")


def machine(with_memory=False):
    """CPUs, their model, (the RAM,) and the kernel, for the report's header."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    if with_memory:
        with open("/proc/meminfo") as meminfo:
            memory = f", {int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} CPUs ({model}){memory}, {platform.system()} {platform.release()}"


def replace_section(doc_path, text, begin_marker, end_marker):
    """Writes `text` (which starts with begin_marker and ends with end_marker) in place of
    the marked section of doc_path, or appends it when the document has none."""
    try:
        with open(doc_path) as f:
            current = f.read()
    except FileNotFoundError:
        current = "# Benchmarks\n"
    begin, end = current.find(begin_marker), current.find(end_marker)
    if begin != -1 and end != -1 and begin < end:
        after = current[end + len(end_marker):].lstrip("\n")
        updated = current[:begin] + text + ("\n" + after if after else "")
    elif begin == -1 and end == -1:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        sys.exit(f"{doc_path}: unbalanced {begin_marker} / {end_marker} markers; fix them by hand")
    os.makedirs(os.path.dirname(os.path.abspath(doc_path)), exist_ok=True)
    with open(doc_path, "w") as f:
        f.write(updated)
