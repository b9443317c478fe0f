"""Shared pieces of the benchmark reports: machine description, percentiles, results.md sections."""
from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

RESULTS_MD = Path(__file__).resolve().parent / "results.md"


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values, q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype="float64"), q)) if len(values) else float("nan")


def machine_description() -> list[str]:
    import duckdb
    import pandas
    import plotly
    import dash
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    load = os.getloadavg()
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem_kb / 1024 / 1024:.1f} GB; {platform.platform()}",
            f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
            f"Dash {dash.__version__}, plotly {plotly.__version__}",
            f"- load average when the run started: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
            f"(1 / 5 / 15 min; other sessions share this 2-core machine, so times include their load)"]


def busy_processes() -> list[str]:
    """Other heavy processes right now (pytest, python, chromium), to say whether the machine was quiet."""
    try:
        out = subprocess.run(["ps", "-eo", "pid,pcpu,rss,args", "--sort=-pcpu"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
    except (OSError, subprocess.CalledProcessError):
        return []
    mine = os.getpid()
    busy = []
    for line in out:
        pid, cpu, _rss, args = line.split(None, 3)
        if int(pid) != mine and float(cpu) >= 20 and re.search(r"python|pytest|chrom", args):
            busy.append(f"{args[:60]} ({cpu} % CPU)")
    return busy[:6]


def update_section(name: str, text: str, path: Path = RESULTS_MD) -> None:
    """Replace (or append) the block between <!-- begin:name --> and <!-- end:name --> in results.md,
    so the benchmark run and the load test each rewrite only their own part."""
    begin, end = f"<!-- begin:{name} -->", f"<!-- end:{name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Nexus Atlas benchmark results\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


def command_line(module: str) -> str:
    """The command that repeats this run (arguments as given)."""
    import shlex
    return f".venv/bin/python -m {module} " + " ".join(shlex.quote(a) for a in sys.argv[1:])
