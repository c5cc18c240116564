"""An uploaded extract goes to disk in chunks, never whole into memory, and no further than a size limit.

The import page installs :class:`SizeLimit` before the request body is read: it counts the bytes of each
file as Django streams it (to a temporary file above 2.5 MB) and stops the upload at
``FHB_IMPORT_MAX_MB`` megabytes, so an oversized file is neither kept in memory nor on disk. The kept
files are then moved into a folder of their own under ``FHB_DATA_DIR/imports/`` for the import's jobs.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from fhb.core.private_files import open_private, private_folder

MB = 1024 * 1024


def limit_bytes() -> int:
    return int(settings.FHB_IMPORT_MAX_MB * MB)


class SizeLimit(FileUploadHandler):
    """Stop an upload whose file grows beyond the limit; ``too_large`` then names the file."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = limit_bytes()
        self.received = 0
        self.too_large: str | None = None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = self.file_name
            raise StopUpload(connection_reset=False)  # read the rest of the body away and answer the page
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) keeps the file


def import_folder() -> Path:
    """A new folder of its own for one import's files."""
    folder = Path(settings.DATA_DIR) / "imports" / uuid.uuid4().hex
    private_folder(folder)
    return folder


def keep(upload: UploadedFile[bytes], folder: Path, name: str) -> Path:
    """Copy the uploaded file into ``folder`` as ``name`` in chunks; the path."""
    path = folder / name
    with open_private(path) as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def discard(folder: str | Path) -> None:
    """Remove an import's folder (cancelled, or applied); only folders under the imports folder."""
    path = Path(folder)
    if path.parent == Path(settings.DATA_DIR) / "imports":
        shutil.rmtree(path, ignore_errors=True)
