"""A helper process that ends with the process that started it, however that one ends.

The outbox's render processes (spawned by ``fhb worker``) hold nothing worth saving: they turn letters into
bytes that the worker stores, yet a worker killed with SIGKILL used to leave them running. Called first
in such a process, :func:`end_with_parent` sees to it that they end with the worker:

- **On Linux the kernel does it.** ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` asks for SIGKILL the moment the
  parent ends, even by SIGKILL, when no code of the parent runs any more. (Strictly: when the parent's
  *thread* that started the process ends. The outbox starts its pool in the thread that uses it and shuts it
  down before that thread returns, so the two coincide.) The parent may have died before the call; the
  parent's pid is checked after it, and the process ends at once when it changed.
- **Elsewhere** (or when ``prctl`` cannot be called) a daemon thread compares ``os.getppid()`` with the
  parent's pid every :data:`WATCH_S` seconds and ends the process when it changed: an orphan is handed to
  init or a subreaper.

The process also ignores SIGINT: a terminal's Ctrl-C reaches the whole foreground process group, and the
parent decides what it means (``fhb worker`` finishes its round, then shuts its pool down); a helper that
died of it first would break the pool under the parent's round. SIGTERM keeps its default: it is how
``ProcessPoolExecutor`` ends the processes of a broken pool, and it waits for them, so a helper that ignored
SIGTERM could hang the parent for ever. Under systemd the worker's unit says ``KillMode=mixed``: its stop
signal goes to the worker alone, and SIGKILL to everything left only when the stop times out.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

#: ``PR_SET_PDEATHSIG`` from ``<linux/prctl.h>``.
PR_SET_PDEATHSIG = 1
#: Seconds between two looks at the parent's pid, where the kernel does not watch it.
WATCH_S = 0.5
#: The exit status of a helper that found its parent gone.
ORPHANED = 70


def end_with_parent(parent_pid: int, *, use_kernel: bool = True) -> None:
    """Make this process end when ``parent_pid`` (its parent) ends; ignore SIGINT (Ctrl-C).

    ``use_kernel=False`` skips ``prctl`` and watches from a thread (as on systems without it; the tests use
    it to try the fallback on Linux).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not (use_kernel and kernel_ends_with_parent()):
        threading.Thread(target=watch_parent, args=(parent_pid,), name="end-with-parent", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent ended before anyone watched
        os._exit(ORPHANED)


def kernel_ends_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):  # no prctl in this C library
        return False


def watch_parent(parent_pid: int, every_s: float = WATCH_S) -> None:
    """End this process (at once, without clean-up) when its parent is no longer ``parent_pid``."""
    while os.getppid() == parent_pid:
        time.sleep(every_s)
    os._exit(ORPHANED)
