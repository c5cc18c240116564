"""A helper process ends with its parent, however the parent ends; it leaves Ctrl-C to the parent."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.processes import Process, alive, process, still_running

from fhb.core.child_process import ORPHANED

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

#: The helper: watches its parent (by the kernel or by a thread), says so, then waits to be ended.
HELPER = (
    "import os, sys, time\n"
    "from fhb.core.child_process import end_with_parent\n"
    "end_with_parent(os.getppid(), use_kernel=sys.argv[1] == 'kernel')\n"
    "print(os.getpid(), flush=True)\n"
    "time.sleep(120)\n"
)
#: The parent: starts the helper and waits to be killed.
PARENT = (
    "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]])\n"
    "time.sleep(120)\n"
)


def read_line(pipe: subprocess.Popen[bytes], timeout_s: float = 30) -> str:
    assert pipe.stdout is not None
    ready, _, _ = select.select([pipe.stdout], [], [], timeout_s)
    assert ready, "the helper never said it was ready"
    return pipe.stdout.readline().decode().strip()


def start_parent_and_helper(how: str) -> tuple[subprocess.Popen[bytes], Process]:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, HELPER, how], stdout=subprocess.PIPE)
    return parent, process(int(read_line(parent)))


@pytest.mark.parametrize("how", ["kernel", "thread"])
@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM])
def test_the_helper_ends_when_its_parent_ends(how: str, ending: signal.Signals) -> None:
    parent, helper = start_parent_and_helper(how)
    try:
        assert alive(helper)
        parent.send_signal(ending)
        parent.wait(timeout=10)
        left = still_running([helper], after_s=3)
    finally:
        if alive(helper):
            os.kill(helper.pid, signal.SIGKILL)
        parent.kill()
        parent.wait()
    assert not left, f"the helper ({how}) outlived its parent ended by {ending.name}"


def test_the_helper_leaves_ctrl_c_to_its_parent_and_ends_on_sigterm() -> None:
    """Ctrl-C reaches the whole process group: the parent decides. SIGTERM is how a process pool ends a
    helper (and then waits for it): it must still work."""
    parent, helper = start_parent_and_helper("kernel")
    try:
        os.kill(helper.pid, signal.SIGINT)
        time.sleep(0.3)
        assert alive(helper), "Ctrl-C reached the helper: the parent decides"
        os.kill(helper.pid, signal.SIGTERM)
        assert not still_running([helper], after_s=3), "SIGTERM ends the helper"
    finally:
        parent.kill()
        parent.wait()


def test_a_helper_whose_parent_is_already_gone_ends_at_once() -> None:
    code = (
        "import os\nfrom fhb.core.child_process import end_with_parent\nend_with_parent(os.getppid() + 1)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], timeout=30, check=False)
    assert result.returncode == ORPHANED
