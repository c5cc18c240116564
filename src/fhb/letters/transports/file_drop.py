"""The default transport: a folder per batch that Digital Post and print-service integrations pick up.

``<outbox>/batch-000042/`` holds, for each Digital Post letter, ``<uuid>.pdf`` and ``<uuid>.memo.xml``;
for the letters on paper one ``print-batch.pdf`` (each letter padded to an even page count for duplex
printing); and ``manifest.json``, written last. A folder without a manifest is not finished: whoever
picks batches up waits for the manifest. Every file is written to a temporary name, flushed to disk and
renamed, so a file is either whole or absent; names are fixed by the letter, so delivering a batch
again after a crash rewrites the same files, and a batch whose manifest is already there is left alone.
A write the system refuses (a full disk, a read-only or unmounted share) becomes a :class:`DeliveryError`
that says which batch, which folder and why; the files a failed attempt wrote are rewritten next time.

The manifest names no citizen and no address (address protection): letter id, kind, channel, CPR, files,
pages and the PDF's SHA-256.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fhb.core.letters.print_batch import print_batch
from fhb.core.private_files import open_private, private_folder
from fhb.letters.transports.base import DeliveryError, Parcel

MANIFEST = "manifest.json"
PRINT_BATCH = "print-batch.pdf"
MANIFEST_FORMAT = 1
WRITERS = 8


class FileDropTransport:
    name = "file_drop"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, batch_id: int) -> Path:
        return self.root / f"batch-{batch_id:06d}"

    def deliver(self, batch_id: int, parcels: list[Parcel]) -> str:
        folder = self.folder(batch_id)
        try:
            if (folder / MANIFEST).exists():
                return str(folder)  # delivered before a crash; the pick-up may already have taken files
            private_folder(folder)
            for stale in folder.glob(".*.tmp"):  # half-written by a delivery that crashed
                stale.unlink()
            entries = []
            files: list[tuple[Path, bytes]] = []
            paper = [p for p in parcels if p.channel == "paper"]
            for parcel in parcels:
                entry = {
                    "uuid": parcel.uuid,
                    "kind": parcel.kind,
                    "channel": parcel.channel,
                    "cpr": parcel.cpr,
                    "title": parcel.title,
                    "pages": parcel.pages,
                    "sha256": parcel.sha256,
                    "files": [],
                }
                if parcel.channel == "digital_post":
                    if parcel.memo is None:
                        raise DeliveryError(
                            f"brev {parcel.uuid} skal med Digital Post men har ingen MeMo-fil"
                        )
                    files.append((folder / f"{parcel.uuid}.pdf", parcel.pdf))
                    files.append((folder / f"{parcel.uuid}.memo.xml", parcel.memo))
                    entry["files"] = [f"{parcel.uuid}.pdf", f"{parcel.uuid}.memo.xml"]
                else:
                    entry["files"] = [PRINT_BATCH]
                entries.append(entry)
            if paper:
                files.append((folder / PRINT_BATCH, print_batch([p.pdf for p in paper])))
            # Flushing each file to disk waits on the disk, not the CPU: do it side by side.
            with ThreadPoolExecutor(WRITERS) as writers:
                for _ in writers.map(lambda item: write_atomic(*item), files):
                    pass
            manifest = {
                "format": MANIFEST_FORMAT,
                "batch": batch_id,
                "letters": entries,
                "digital_post": len(parcels) - len(paper),
                "paper": len(paper),
                "print_batch": PRINT_BATCH if paper else None,
            }
            write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _fsync_dir(folder)
        except OSError as error:
            raise DeliveryError(write_error(batch_id, len(parcels), folder, error)) from error
        return str(folder)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open_private(tmp) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # free what a full disk holds; a retry removes it otherwise
            tmp.unlink(missing_ok=True)
        raise


#: Why a write failed, in the leader's words, by ``errno``.
WRITE_ERRORS = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er brugt op",
    errno.EROFS: "drevet er skrivebeskyttet (read-only)",
    errno.EACCES: "fhb har ikke skriveadgang til mappen",
    errno.EPERM: "fhb har ikke skriveadgang til mappen",
    errno.ENOENT: "mappen findes ikke (er drevet monteret?)",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe (er drevet monteret?)",
    errno.EIO: "disken svarer med en I/O-fejl",
    errno.ESTALE: "netværksdrevet er ikke tilgængeligt",
    errno.ENOTCONN: "netværksdrevet er ikke tilgængeligt",
    errno.EHOSTDOWN: "netværksdrevet er ikke tilgængeligt",
}


def write_error(batch_id: int, letters: int, folder: Path, error: OSError) -> str:
    """What, where and why, for the Udbakke page and the log: the OS's own words in parentheses."""
    why = WRITE_ERRORS.get(error.errno or 0, "styresystemet afviste skrivningen")
    return (
        f"Forsendelse {batch_id} ({letters} breve) kunne ikke skrives til {folder}: {why} ({error}). "
        "Brevene venter i udbakken og afleveres, når fejlen er rettet."
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
