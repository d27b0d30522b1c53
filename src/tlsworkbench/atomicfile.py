"""Writing a file so that it is either the old one or the whole new one.

Session files, redacted exports and their map files, reports, saved fix jobs
and the list of recent sessions all go through :func:`write_atomic`: the bytes
are written to a temporary file next to the target, flushed to disk, then put
in its place with one rename (and the folder synced), so a crash or a full disk
never leaves half a file where the user's file was.

The temporary file is ``.NAME.XXXXXXXX.tmp`` and is locked (``flock``) while it
is written. A process killed in the middle (``kill -9``, a crash, a power cut)
leaves it behind; the next save of the same target removes such leftovers: any
``.NAME.*.tmp`` next to it that nobody holds a lock on. A save running at the
same time in another process keeps its lock, so its file is left alone.
"""

from __future__ import annotations

import os
import re
import stat
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
    held = os.dup(fd)  # the lock lives until the rename is done, not just while writing
    try:
        _lock(held)
        clean_stale(path, keep=tmp)
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
    finally:
        os.close(held)
    _sync_folder(folder)


def clean_stale(path: str | Path, keep: str | None = None) -> int:
    """Remove the temporary files earlier saves of ``path`` left behind (none of
    them is locked by a running save); how many were removed."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f".{path.name}.") + r"[A-Za-z0-9_]{4,16}\.tmp")
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not pattern.fullmatch(name):
            continue
        full = os.path.join(folder, name)
        if keep is not None and os.path.abspath(full) == os.path.abspath(keep):
            continue
        try:
            if not stat.S_ISREG(os.lstat(full).st_mode):
                continue
            fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if _lock(fd, wait=False):
                os.unlink(full)
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _lock(fd: int, wait: bool = True) -> bool:
    """An exclusive lock on the open file (held until it is closed); without
    ``wait``, False when another process holds it. Where there is no ``flock``,
    nothing is locked and leftovers are not cleaned (False)."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


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
