"""Writing a file so that it is either the old one or the whole new one.

Session files, redacted exports and their map files, reports, saved fix jobs
and the list of recent sessions all go through :func:`write_atomic`: the bytes
are written to a temporary file next to the target, flushed to disk, then put
in its place with one rename (and the folder synced), so a crash or a full disk
never leaves half a file where the user's file was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: str | Path, data: bytes | Callable[[BinaryIO], None],
                 mode: int | None = 0o644) -> None:
    """Replace ``path`` with ``data`` (bytes, or a function that writes to the
    open file). ``mode``: permissions of the new file (None keeps the 0600 of
    a temporary file)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not possible everywhere: then skipped)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
