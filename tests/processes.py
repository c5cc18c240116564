"""Processes as Linux's /proc shows them, for tests that check that no process is left behind."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Process:
    pid: int
    started: int
    """Clock ticks after boot (``/proc/PID/stat`` field 22): a pid used again is another process."""
    command: str


def stat(pid: int) -> tuple[int, str, int] | None:
    """``(parent pid, state, start time)`` of a process, or None when there is none by that pid."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name in parentheses may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def children(parent: int) -> list[Process]:
    """The processes whose parent is ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or (info := stat(int(entry.name))) is None or info[0] != parent:
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append(Process(int(entry.name), info[2], command))
    return found


def alive(process: Process) -> bool:
    """Still running: the same process (same start time) and not a zombie (dead, waiting to be reaped)."""
    info = stat(process.pid)
    return info is not None and info[2] == process.started and info[1] not in ("Z", "X")


def process(pid: int) -> Process:
    """The process running as ``pid`` now."""
    info = stat(pid)
    assert info is not None, f"no process {pid}"
    return Process(pid, info[2], (Path(f"/proc/{pid}") / "cmdline").read_bytes().decode(errors="replace"))


def still_running(processes: list[Process], *, after_s: float) -> list[Process]:
    """Those of ``processes`` still running after waiting up to ``after_s`` seconds for them to end."""
    deadline = time.monotonic() + after_s
    while (left := [p for p in processes if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left
