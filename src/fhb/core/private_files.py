"""Files that hold personal data: created readable by fhb's own user only, whatever the umask.

Letters' PDFs and MeMo messages, the file drop's manifests and print batches, backups, exports about a
citizen and cached travel matrices (coordinates are addresses) are written 0600, in folders fhb creates
0700. The mode is set explicitly after creating (``fchmod``/``chmod``), so a lax umask (022 makes 0644
and 0755) does not widen it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by this user only; an existing folder is left as it
    is but for ``path`` itself, which is made 0700. Returns ``path``."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    for created in missing:
        os.chmod(created, FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)
    return path


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing (created or emptied), 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, 0600."""
    with open_private(path) as handle:
        handle.write(data)
