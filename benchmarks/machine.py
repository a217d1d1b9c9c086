"""What the benchmarks print about the machine they ran on."""

from __future__ import annotations

from pathlib import Path


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: a busy shared machine makes every timing slower."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_ticks() -> dict[str, int]:
    """The machine's CPU time so far, in clock ticks: busy (user, nice, system, irq), idle (and iowait), and
    stolen by the hypervisor, which on a shared virtual machine is time the two cores were not ours."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}
