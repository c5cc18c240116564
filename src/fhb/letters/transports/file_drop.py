"""The default transport: a folder per batch that Digital Post and print-service integrations pick up.

``<outbox>/batch-<uuid>/`` (the batch's uuid, e.g. ``batch-0f8c2d1e-5b7a-4c3e-9d41-2a6b8e7f1c05``) holds,
for each Digital Post letter, ``<uuid>.pdf`` and ``<uuid>.memo.xml`` (the letter's own id); for the letters
on paper one ``print-batch.pdf`` (each letter padded to an even page count for duplex printing); and
``manifest.json``, written last. A folder without a manifest is not finished: whoever picks batches up
waits for the manifest. Every file is written to a temporary name, flushed to disk and renamed, so a file
is either whole or absent; names are fixed by the letter, so delivering a batch again after a crash
rewrites the same files. A write the system refuses (a full disk, a read-only or unmounted share) becomes a
:class:`DeliveryError` that says which batch, which folder and why; the files a failed attempt wrote are
rewritten next time.

**A folder is named by the batch's uuid, not its number.** Batch numbers repeat (after a restore, a rebuilt
database, two instances sharing one drop folder); a folder named by number was found "already delivered"
by the next batch of that number, whose letters were then reported sent and never written.

**A folder with a manifest is done only if the manifest is this batch's**: its ``batch_uuid`` is the
batch's uuid and it lists exactly the batch's letters (the same letter ids, each once) with the same
SHA-256 of the PDF. Then the batch was delivered before a crash and is left alone (the pick-up may already
have taken its files). Any other manifest (another batch's, another letter set, one that cannot be read) is
a :class:`DeliveryError` that says so, and the folder is left as it is. Rewriting it instead would be
wrong either way: the pick-up takes a folder once it has a manifest, so it may already have sent the
foreign letters (a folder copied or restored into the drop) or be reading the folder while it changed, and
letters written into a folder it has finished with would never be picked up, yet be marked delivered.
The error keeps the batch open with its letters on the Udbakke page until a person has looked at the
folder and moved it away; the next round then writes the batch.

The manifest names no citizen and no address (address protection): the batch's uuid and number, and for
each letter its id, kind, channel, CPR, files, pages and the PDF's SHA-256.
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
from fhb.letters.transports.base import BatchKey, DeliveryError, Parcel

MANIFEST = "manifest.json"
PRINT_BATCH = "print-batch.pdf"
#: 2: folders named by the batch's uuid, which the manifest carries as ``batch_uuid`` (1: by number).
MANIFEST_FORMAT = 2
WRITERS = 8


class FileDropTransport:
    name = "file_drop"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, batch: BatchKey) -> Path:
        return self.root / f"batch-{batch.uuid}"

    def deliver(self, batch: BatchKey, parcels: list[Parcel]) -> str:
        folder = self.folder(batch)
        try:
            if (folder / MANIFEST).exists():
                # Delivered before a crash (the pick-up may already have taken files), if it is this batch.
                check_manifest(batch, parcels, folder)
                return str(folder)
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
                "batch_uuid": str(batch.uuid),
                "batch": batch.number,
                "letters": entries,
                "digital_post": len(parcels) - len(paper),
                "paper": len(paper),
                "print_batch": PRINT_BATCH if paper else None,
            }
            write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _fsync_dir(folder)
        except OSError as error:
            raise DeliveryError(write_error(batch, len(parcels), folder, error)) from error
        return str(folder)


def check_manifest(batch: BatchKey, parcels: list[Parcel], folder: Path) -> None:
    """Raise :class:`DeliveryError` unless the folder's manifest is ``batch``'s: the same uuid, and exactly
    its letters, each once, with the same SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
        listed = [(str(entry["uuid"]), str(entry["sha256"])) for entry in manifest["letters"]]
        named = manifest.get("batch_uuid")
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise DeliveryError(
            foreign_manifest(batch, len(parcels), folder, f"det kan ikke læses ({error})")
        ) from error
    if named != str(batch.uuid):
        whose = (
            f"forsendelse {named}" if named else "en forsendelse uden id (en ældre fhb eller et andet system)"
        )
        why = f"det er for {whose}, ikke for denne ({batch.uuid})"
        raise DeliveryError(foreign_manifest(batch, len(parcels), folder, why))
    ours = {parcel.uuid: parcel.sha256 for parcel in parcels}
    theirs = dict(listed)
    missing = ours.keys() - theirs.keys()
    extra = theirs.keys() - ours.keys()
    changed = {key for key in ours.keys() & theirs.keys() if ours[key] != theirs[key]}
    doubled = len(listed) - len(theirs)
    if missing or extra or changed or doubled:
        counts = [
            f"{len(missing)} af forsendelsens breve mangler" if missing else "",
            f"{n_letters(len(extra))} hører ikke til forsendelsen" if extra else "",
            f"{n_letters(len(changed))} har en anden kontrolsum (SHA-256)" if changed else "",
            f"{n_letters(doubled)} står der to gange" if doubled else "",
        ]
        why = "det lister andre breve end forsendelsens: " + ", ".join(c for c in counts if c)
        raise DeliveryError(foreign_manifest(batch, len(parcels), folder, why))


def n_letters(n: int) -> str:
    """``n`` letters in Danish: "1 brev", "2 breve"."""
    return f"{n} brev" if n == 1 else f"{n} breve"


def foreign_manifest(batch: BatchKey, parcels: int, folder: Path, why: str) -> str:
    """What, where and why, when a folder's manifest is not the batch's own."""
    return (
        f"Forsendelse {batch.number} ({n_letters(parcels)}) er ikke afleveret: mappen {folder} har allerede "
        f"et manifest ({MANIFEST}), men {why}. fhb overskriver ikke en mappe med manifest, da "
        "afhentningen kan have taget den. Undersøg mappen og flyt den væk; brevene venter i udbakken og "
        "afleveres ved næste forsøg."
    )


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


def write_error(batch: BatchKey, letters: int, folder: Path, error: OSError) -> str:
    """What, where and why, for the Udbakke page and the log: the OS's own words in parentheses."""
    why = WRITE_ERRORS.get(error.errno or 0, "styresystemet afviste skrivningen")
    return (
        f"Forsendelse {batch.number} ({letters} breve) kunne ikke skrives til {folder}: {why} ({error}). "
        "Brevene venter i udbakken og afleveres, når fejlen er rettet."
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
